"""The registry's data revision, for the public site's ETag, Last-Modified and page cache.

Every save or delete of a record the site shows bumps a token kept in the cache (shared Redis in
production), so a browser or proxy can revalidate a page with one cache read and no query.
Writes that bypass model signals (queryset.update, raw SQL) must call `bump()` themselves.
"""

import logging
import time
import uuid
from datetime import UTC, datetime

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from devolution.exchange.signals import import_committed
from items.signals import item_statuses_changed

logger = logging.getLogger(__name__)

CACHE_KEY = "public:data-revision"
# Kept for a month: if the cache loses it, a fresh token only costs one full response per client.
CACHE_TIMEOUT = 30 * 24 * 3600

WATCHED_MODELS = [
    "devolution.Plan",
    "devolution.Department",
    "items.CancelledApproval",
    "items.DevolvedItem",
    # Publishing an adjustment writes its items in bulk; its new ListVersion is saved normally.
    "items.ListVersion",
    "seals.Seal",
    "handover.Handover",
    # An item's public page names its 代办/帮办.
    "handover.TrainingAssistance",
    "handover.DeadlineFlag",
    # Closing a round publishes its summary.
    "evaluation.EvaluationRound",
]


def _new_revision():
    return {"token": uuid.uuid4().hex, "changed_at": int(time.time())}


def cache_call(method, *args, default=None):
    """A cache operation that degrades instead of failing: with Redis down the site still
    serves, only without revalidation and cached figures."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # the cache backend's own connection errors vary by backend
        logger.warning("cache %s failed, serving without the cache: %s", method, error)
        return default


def current():
    revision = cache_call("get", CACHE_KEY)
    if revision is None:
        revision = _new_revision()
        # add() so that concurrent first requests agree on one token.
        if not cache_call("add", CACHE_KEY, revision, CACHE_TIMEOUT, default=True):
            revision = cache_call("get", CACHE_KEY) or revision
    return revision


def bump(**kwargs):
    cache_call("set", CACHE_KEY, _new_revision(), CACHE_TIMEOUT)


def of_request(request):
    """current(), read once per request: a response's ETag, Last-Modified and cached page
    name the same revision, for one cache read (a cached page is then one more)."""
    revision = getattr(request, "_data_revision", None)
    if revision is None:
        revision = request._data_revision = current()
    return revision


def etag(request, *args, **kwargs):
    return of_request(request)["token"]


def last_modified(request, *args, **kwargs):
    return datetime.fromtimestamp(of_request(request)["changed_at"], tz=UTC)


def connect_signals():
    # Item statuses are refreshed in bulk, which sends no post_save.
    item_statuses_changed.connect(bump, dispatch_uid="public-bump-statuses")
    # Imports write in bulk, without post_save.
    import_committed.connect(bump, dispatch_uid="public-bump-import")
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"public-bump-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"public-bump-delete-{label}")
