from django.apps import AppConfig


class DevolutionConfig(AppConfig):
    name = "devolution"
    verbose_name = "赋权方案与部门"
