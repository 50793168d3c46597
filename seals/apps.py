from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = "专用分章"
