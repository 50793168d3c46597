import pytest
from django.core.cache import caches

from devolution.registry_fixtures import load_registry_fixtures

# The real-browser fixtures `site` and `page`.
pytest_plugins = ["devolution.tests.browser"]


@pytest.fixture(autouse=True)
def cheap_password_hasher(settings):
    # Full-cost PBKDF2 was most of a login's time; the tests check who may log in, not the hash.
    # Production keeps PBKDF2 (settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_caches():
    # No test sees a figure or registry version cached by the one before it.
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def registry(db):
    """The registry as `make setup` loads it: the plan, 29+30 departments, the annexes, seals
    and handovers."""
    load_registry_fixtures()


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x-very-long-pass")
    client.force_login(user)
    return client
