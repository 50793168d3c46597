from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "devolution.public"
    label = "public"
    verbose_name = "公开网站"

    def ready(self):
        from . import revision

        revision.connect_signals()
