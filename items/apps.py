from django.apps import AppConfig
from django.apps import apps as registry
from django.db.models.signals import post_migrate


def first_version_after_migrate(sender, using, apps=None, **kwargs):
    """The lists' version 1 comes with the schema (migration 0007); a flush (a transactional
    test's) empties the table, so make it again, as the migration does (idempotent)."""
    from importlib import import_module

    migration = import_module("items.migrations.0007_first_list_version")
    migration.seed_first_version(apps or registry, None)


class ItemsConfig(AppConfig):
    name = "items"
    verbose_name = "赋权事项"

    def ready(self):
        from items import exchange  # noqa: F401  (registers the annex tables)

        post_migrate.connect(
            first_version_after_migrate, sender=self, dispatch_uid="items.first_version"
        )
