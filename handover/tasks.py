import datetime
import logging

from celery import shared_task
from django.utils import timezone

from .deadlines import scan_deadlines

logger = logging.getLogger(__name__)


@shared_task(name="handover.tasks.flag_deadlines")
def flag_deadlines(today=None):
    """The daily scan (Celery beat, 08:00 Asia/Shanghai). `today` is an ISO date, for reruns."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = scan_deadlines(day)
    return {
        "today": day.isoformat(),
        "opened": result.opened,
        "resolved": result.resolved,
        "notified": result.notified,
        "escalated": result.escalated,
        "unreachable": result.unreachable,
    }


def enqueue_flag_deadlines():
    """Queue a scan now; returns False (and logs why) when the broker cannot be reached, so a
    page that asked for it keeps working."""
    try:
        flag_deadlines.apply_async(retry=False)
    except Exception:  # kombu raises several kinds; none may turn a page into a 500
        logger.exception("逾期检查任务无法加入队列（Redis 不可用？）")
        return False
    return True
