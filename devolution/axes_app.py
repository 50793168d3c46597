from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name (its own is "Axes"); its words are in locale/."""

    verbose_name = "登录安全"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # Their names as the admin shows them (breadcrumbs, titles, the rows' checkboxes).
        AccessAttempt.__str__ = attempt_name
        AccessLog.__str__ = log_name
        AccessFailureLog.__str__ = failure_name


def when(record):
    return timezone.localtime(record.attempt_time).strftime("%Y-%m-%d %H:%M:%S")


def attempt_name(attempt):
    return f"{attempt.username or '（无用户名）'} 的登录尝试，{when(attempt)}"


def log_name(log):
    return f"{log.username or '（无用户名）'} 的登录，{when(log)}"


def failure_name(failure):
    locked = "，已锁定" if failure.locked_out else ""
    who = failure.username or "（无用户名）"
    return f"{who} 登录失败，{when(failure)}，来自 {failure.ip_address}{locked}"
