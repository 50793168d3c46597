from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "放得下·接得住·管得好 评估"

    def ready(self):
        from evaluation import exchange  # noqa: F401  (registers the case-volume table)
