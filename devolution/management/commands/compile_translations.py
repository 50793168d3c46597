from django.core.management.base import BaseCommand

from devolution.locale_files import compiled, po_files


class Command(BaseCommand):
    help = "把 locale/ 下的 .po 译文编译为 .mo（纯 Python，不需要 gettext 的 msgfmt）。"

    def handle(self, *args, **options):
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            mo_path.write_bytes(compiled(po_path))
            self.stdout.write(f"已编译 {mo_path}")
