from django.conf import settings
from django.core.management.base import BaseCommand

from devolution.exchange.engine import purge_uploads


class Command(BaseCommand):
    help = "清除超过保留期限仍未确认的导入上传文件（导入记录保留）。"

    def handle(self, *args, **options):
        purged = purge_uploads()
        hours = settings.REGISTRY_IMPORT_UPLOAD_RETENTION_HOURS
        self.stdout.write(f"已清除 {purged} 个超过 {hours} 小时未确认的上传文件。")
