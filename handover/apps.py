from django.apps import AppConfig
from django.apps import apps as registry
from django.db.models.signals import post_migrate


def schedule_after_flush(sender, using, apps=None, plan=None, **kwargs):
    """A flush (a transactional test's; it sends no plan) empties the daily scan's schedule
    that migration 0002 made: make it again. After a migrate nothing is done, so a schedule
    staff removed in the admin stays removed."""
    if plan is None:
        from importlib import import_module

        migration = import_module("handover.migrations.0002_deadlineflag_notified_at_daily_scan")
        migration.schedule_daily_scan(apps or registry, None)


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = "权力交接"

    def ready(self):
        from handover import (
            exchange,  # noqa: F401  (registers the handovers table)
            signals,  # noqa: F401  (connects the status receivers)
        )

        post_migrate.connect(schedule_after_flush, sender=self, dispatch_uid="handover.schedule")
