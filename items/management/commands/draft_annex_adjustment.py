from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from devolution.exchange.errors import ExchangeError
from items.annex import draft_from_annex


class Command(BaseCommand):
    help = "整表导入附件2，生成动态调整草稿（不直接修改清单；须审核、公布后生效）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="附件文件（.xlsx、.xls 或 .csv）")
        parser.add_argument("--user", required=True, help="起草人的用户名（县编委办）")
        parser.add_argument("--plan", default=None, help="实施方案文号（默认最新的方案）")

    def handle(self, *args, path, user, plan, **options):
        try:
            by = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"没有用户“{user}”。") from None
        data = Path(path).read_bytes()
        try:
            adjustment = draft_from_annex(data, Path(path).name, by, plan)
        except (ValidationError, ExchangeError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from None
        counts = {
            label: adjustment.changes.filter(kind=kind).count()
            for kind, label in adjustment.changes.model._meta.get_field("kind").choices
        }
        told = "，".join(f"{label} {n}" for label, n in counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"已生成{adjustment}：{told}。"))
