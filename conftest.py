import pytest
from django.core.cache import caches

from devolution.registry_fixtures import load_registry_fixtures

# The real-browser fixtures `site` and `page`.
pytest_plugins = ["devolution.tests.browser"]


@pytest.fixture(autouse=True)
def cheap_password_hasher(settings):
    """PBKDF2 at full cost is most of a login's time; the tests check who may log in, not the
    hash, so they use MD5 (as healthchecks does). Production keeps PBKDF2: settings.py is
    unchanged."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads kept for an import's confirmation go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_caches():
    """A test starts with empty caches, so a figure or registry version cached by the test
    before it cannot make it pass or fail."""
    for cache in caches.all():
        cache.clear()
    yield
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
