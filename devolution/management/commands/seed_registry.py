from django.core.management import call_command
from django.core.management.base import BaseCommand

from devolution.registry_fixtures import load_registry_fixtures


class Command(BaseCommand):
    help = "载入初始登记数据（方案、部门、事项、印章、交接）；已有数据时不做任何改动。"

    def handle(self, *args, **options):
        if not load_registry_fixtures():
            self.stdout.write("登记库已有数据，未重复载入。")
            return
        # Fixture rows are saved raw, which bypasses history; give each record its first entry.
        call_command("populate_history", auto=True, verbosity=0)
        self.stdout.write(self.style.SUCCESS("已载入初始登记数据。"))
