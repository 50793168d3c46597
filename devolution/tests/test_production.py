"""Production mode refuses to start without a secret and passes Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-tests-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "registry.panshan.example",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "必须设置 SECRET_KEY" in result.stderr


def test_production_turns_debug_off_and_secures_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    result = manage("shell", "-c", code, **PRODUCTION_ENV)
    printed = result.stdout.strip().splitlines()[-1]
    assert printed == "False True True True True ['registry.panshan.example']"


@pytest.mark.django_db
def test_failed_logins_lock_the_account_out(client, django_user_model):
    django_user_model.objects.create_superuser("clerk", password="correct-horse-battery")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "clerk", "password": "wrong"})
        assert response.status_code == 200
    assert client.post(url, {"username": "clerk", "password": "wrong"}).status_code == 429
    # Locked out: even the right password is refused now.
    locked = client.post(url, {"username": "clerk", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_succeeds(client, django_user_model):
    django_user_model.objects.create_superuser("clerk", password="correct-horse-battery")
    response = client.post(
        reverse("admin:login"), {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def fail_logins(client, times, username="clerk", **meta):
    url = reverse("admin:login")
    return [
        client.post(url, {"username": username, "password": "wrong"}, **meta).status_code
        for _ in range(times)
    ]


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_lockout_keys_on_the_forwarded_client(
    client, django_user_model, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_superuser("clerk", password="correct-horse-battery")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The attacker also sends a header of their own: the proxy appends the real address.
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}
    assert fail_logins(client, settings.AXES_FAILURE_LIMIT, **attacker)[-1] == 429
    # The clerk, behind the same proxy from another address, still logs in.
    clerk = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    response = client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": "correct-horse-battery"},
        **clerk,
    )
    assert response.status_code == 302
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, django_user_model, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    django_user_model.objects.create_superuser("clerk", password="correct-horse-battery")
    # A client cannot escape its lockout by inventing a new X-Forwarded-For each time.
    codes = [
        fail_logins(client, 1, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")[0]
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes[-1] == 429
    # Another address directly connected is not locked out.
    other = fail_logins(client, 1, REMOTE_ADDR="203.0.113.8")
    assert other == [200]


def test_a_forged_or_short_header_falls_back_safely(rf, settings):
    from devolution.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = 2
    two_proxies = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8, 10.0.0.2"
    )
    assert client_address(two_proxies) == "5.6.7.8"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="x, y")) == (
        "10.0.0.3"
    )
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.3")) == "10.0.0.3"
