import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.BASE_DIR / ".admin-password"


class Command(BaseCommand):
    help = "开发环境：没有超级用户时创建一个，并打印登录方式。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        users = get_user_model().objects
        if not users.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            users.create_superuser(username, email="", password=password)
            PASSWORD_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
        url = "http://127.0.0.1:8000/admin/"
        if PASSWORD_FILE.exists():
            saved_username, password = PASSWORD_FILE.read_text(encoding="utf-8").split()[:2]
            self.stdout.write(f"管理后台：{url}  用户名：{saved_username}  密码：{password}")
        else:
            self.stdout.write(f"管理后台：{url}  请使用已有的超级用户登录。")
