from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "items"
    verbose_name = "赋权事项"
