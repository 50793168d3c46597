import itertools

import pytest
from django.core import serializers
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection

from devolution.public import revision
from devolution.registry_fixtures import fixture_files

# The real-browser fixtures `site` and `page`.
pytest_plugins = ["devolution.tests.browser"]


@pytest.fixture(autouse=True)
def cheap_password_hasher(settings):
    # Full-cost PBKDF2 was most of a login's time; the tests check who may log in, not the hash.
    # Production keeps PBKDF2 (settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads kept for an import's confirmation go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_caches():
    # No test sees a figure or data revision cached by the one before it.
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def registry_rows():
    """The fixtures' records, read and deserialised once per session."""
    rows = []
    for path in fixture_files():
        rows += [row.object for row in serializers.deserialize("json", path.read_text("utf-8"))]
    return rows


@pytest.fixture
def registry(db, registry_rows):
    """The registry as `make setup` loads it: the plan, 29+30 departments, the annexes, seals
    and handovers. Written one INSERT per model rather than row by row as loaddata does (the
    same rows, no signals, as loaddata's raw saves send none that act), then the sequences set
    past them as loaddata does."""
    for model, rows in itertools.groupby(registry_rows, key=type):
        model._default_manager.bulk_create(list(rows))
    models = {type(row) for row in registry_rows}
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    revision.bump()  # as the raw saves of loaddata do


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x-very-long-pass")
    client.force_login(user)
    return client
