from django.apps import AppConfig


class DevolutionConfig(AppConfig):
    name = "devolution"
    verbose_name = "赋权方案与部门"

    def ready(self):
        from devolution.exchange import departments  # noqa: F401  (registers its table)
