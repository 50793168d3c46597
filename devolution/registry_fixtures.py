"""The fixtures that make up a new registry, and loading them once."""

from django.conf import settings
from django.core.management import call_command

from .models import Plan

FIXTURE_DIR = settings.BASE_DIR / "fixtures"


def fixture_files():
    return sorted(FIXTURE_DIR.glob("[0-9][0-9]_*.json"))


def load_registry_fixtures(force=False, verbosity=0):
    """Load the plan, departments, items, seals and handovers into an empty registry.

    Returns False (and loads nothing) when a plan exists already, so that a second `make setup`
    never overwrites what clerks have entered since.
    """
    if Plan.objects.exists() and not force:
        return False
    call_command("loaddata", *fixture_files(), verbosity=verbosity)
    return True
