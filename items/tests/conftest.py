import pytest

from supervision.roles import REFORM_OFFICE

from .test_adjustments import in_role


@pytest.fixture
def office():
    """A reform office member who drafts an adjustment."""
    return in_role(REFORM_OFFICE, "office-author")


@pytest.fixture
def reviewer():
    """Another member of the office, who reviews and publishes it."""
    return in_role(REFORM_OFFICE, "office-reviewer")
