from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "items"
    verbose_name = "赋权事项"

    def ready(self):
        from items import exchange  # noqa: F401  (registers the annex tables)
