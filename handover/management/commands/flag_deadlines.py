import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from handover.deadlines import scan_deadlines


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from error


class Command(BaseCommand):
    help = (
        "检查逾期：登记错过期限的权力交接、印章送达、培训指导期确认和文件反馈，"
        "解除已办结的，并通知责任部门。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="按这一天检查（YYYY-MM-DD），默认今天。")

    def handle(self, *args, today=None, **options):
        day = iso_date(today) if today else timezone.localdate()
        result = scan_deadlines(day)
        self.stdout.write(f"{day}：{result}")
