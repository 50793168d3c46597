"""How the registry writes a moment for its readers: stored in UTC, read in Panshan's time."""

from django.utils import timezone


def local_minute(moment):
    """`moment` (an aware datetime) to the minute, in the project's time zone (Beijing time):
    what a clerk's clock said then."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
