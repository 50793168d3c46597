from django.apps import AppConfig


class DevolutionConfig(AppConfig):
    name = "devolution"
    verbose_name = "赋权方案与部门"

    def ready(self):
        from devolution import admin_chinese
        from devolution.exchange import departments  # noqa: F401  (registers its table)

        admin_chinese.patch_boolean_icon()
