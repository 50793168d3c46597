"""Faults, for real, on throw-away servers: PostgreSQL restarted under traffic, Redis gone."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from devolution.tests.scratch_services import (
    clean_environment,
    get,
    gunicorn,
    manage,
    scratch_postgres,
    scratch_redis,
    seeded_sqlite,
)


def test_requests_after_a_postgresql_restart_succeed():
    with scratch_postgres(seeded=True) as postgres:
        env = clean_environment(
            DATABASE_URL=postgres.url, CONN_MAX_AGE="60", ALLOWED_HOSTS="127.0.0.1"
        )
        with gunicorn(env) as site:
            assert get(site + "/healthz")[0] == 200
            # Traffic keeps flowing while the server restarts underneath it.
            during = []
            stop = threading.Event()

            def traffic():
                while not stop.is_set():
                    during.append(get(site + "/healthz", timeout=5)[0])

            worker = threading.Thread(target=traffic)
            worker.start()
            try:
                postgres.restart()
            finally:
                stop.set()
                worker.join()
            assert during, "no request was made during the restart"
            # While the database was away the site said so (503), it did not crash (500).
            assert set(during) <= {200, 503}

            # Every worker now holds a persistent connection; restart once more, quietly.
            assert [get(site + "/healthz")[0] for _ in range(10)] == [200] * 10
            postgres.restart()
            # Those connections died with the server; the very first request after it already
            # succeeds, because each request checks its connection's health before use.
            after = [get(site + "/healthz")[0] for _ in range(20)]
            assert after == [200] * 20


@pytest.mark.django_db
def test_health_endpoint_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"database": "ok"}
    assert client.post("/healthz").status_code == 405


class Browser:
    """Just enough of a browser over urllib: cookies, and the CSRF token of a login form."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username, password):
        _, page = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/admin/login/?next=/admin/", data=form, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()


def test_site_and_admin_serve_with_redis_down(tmp_path):
    with scratch_redis() as redis:
        env = clean_environment(
            DATABASE_URL=seeded_sqlite(tmp_path / "registry.sqlite3"),
            REDIS_URL=redis.url,
            ALLOWED_HOSTS="127.0.0.1",
        )
        create_admin = (
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('clerk', password='panshan-clerk-2016')"
        )
        manage("shell", "-c", create_admin, env=env)
        with gunicorn(env) as site:
            browser = Browser(site)
            assert browser.get("/items/")[0] == 200  # the cache is in use while Redis is up
            redis.stop()
            assert not redis.answers()
            for path in ["/", "/items/", "/items/1/", "/cancelled/", "/items/export.csv"]:
                assert browser.get(path)[0] == 200, path
            status, page = browser.log_in("clerk", "panshan-clerk-2016")
            assert status == 200 and "登记管理" in page
            for path in ["/admin/items/devolveditem/", "/admin/handover/handover/progress/"]:
                assert browser.get(path)[0] == 200, path
