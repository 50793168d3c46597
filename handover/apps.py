from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = "权力交接"

    def ready(self):
        from handover import (
            exchange,  # noqa: F401  (registers the handovers table)
            signals,  # noqa: F401  (connects the status receivers)
        )
