"""python manage.py export_registry --table items --format xlsx OUT [--plan 文号]"""

from django.core.management.base import BaseCommand, CommandError

from devolution.exchange.engine import TABLES, export
from devolution.exchange.errors import ExchangeError


class Command(BaseCommand):
    help = "把登记数据导出为 .xlsx、.xls 或 .csv（xlsx 与 csv 以流式写出，内存占用恒定）。"

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--table", required=True, choices=sorted(TABLES))
        parser.add_argument("--format", default="xlsx", choices=["xlsx", "xls", "csv"])
        parser.add_argument("--plan", help="实施方案文号；默认最新的方案")

    def handle(self, *args, **options):
        try:
            export(options["table"], options["format"], options["out"], options["plan"])
        except ExchangeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已导出到 {options['out']}")
