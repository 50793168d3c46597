from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = "专用分章"

    def ready(self):
        from seals import exchange  # noqa: F401  (registers the seals table)
