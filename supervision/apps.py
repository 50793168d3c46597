from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "监督问责"

    def ready(self):
        from supervision.roles import roles_after_migrate

        post_migrate.connect(roles_after_migrate, dispatch_uid="supervision.roles")
