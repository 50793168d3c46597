import pytest

from devolution.registry_fixtures import load_registry_fixtures

# The real-browser fixtures `site` and `page`.
pytest_plugins = ["devolution.tests.browser"]


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
