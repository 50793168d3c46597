"""python manage.py import_registry FILE --table items [--dry-run] [--plan 文号] [--user NAME]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from devolution.exchange.engine import TABLES, import_file
from devolution.exchange.errors import ExchangeError

ROW_ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = "从 .xls、.xlsx 或 .csv 文件导入登记数据：先完整校验，无错误才整体写入。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--table", required=True, choices=sorted(TABLES))
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--plan", help="实施方案文号；默认最新的方案")
        parser.add_argument("--user", help="记为导入人的用户名")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"找不到用户：{options['user']}")
        show_progress = sys.stderr.isatty()

        def progress(stage, done, total):
            if show_progress:
                sys.stderr.write(f"\r{stage}中 {done}/{total} 行")
                sys.stderr.flush()

        try:
            record, result = import_file(
                path.read_bytes(),
                path.name,
                options["table"],
                user=user,
                plan_doc_number=options["plan"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ExchangeError as error:
            raise CommandError(f"{path.name}：{error}") from None
        if show_progress:
            sys.stderr.write("\n")
        for outcome in result.changed:
            changes = "；".join(f"{name}：{old} → {new}" for name, old, new in outcome.diff)
            self.stdout.write(f"第 {outcome.row_number} 行 修改 {outcome.label}：{changes}")
        for row_number, message in result.errors[:ROW_ERRORS_SHOWN]:
            self.stderr.write(f"第 {row_number} 行：{message}")
        if len(result.errors) > ROW_ERRORS_SHOWN:
            self.stderr.write(f"……另有 {len(result.errors) - ROW_ERRORS_SHOWN} 个错误")
        if not result.ok:
            raise CommandError(f"{result.summary()}文件有错误，未导入任何数据。")
        if options["dry_run"]:
            done = "预览（未写入）"
        elif result.drafted is not None:
            done = (
                f"已生成{result.drafted}（导入记录 #{record.pk}）：清单尚未改变，"
                "须由另一人审核、公布后生效"
            )
        else:
            done = f"已导入（导入记录 #{record.pk}）"
        self.stdout.write(f"{result.summary()}{done}")
