"""Faults, for real: a PostgreSQL restart under traffic is survived by the running site."""

import threading

import pytest

from devolution.tests.scratch_services import (
    clean_environment,
    get,
    gunicorn,
    manage,
    scratch_postgres,
)


def test_requests_after_a_postgresql_restart_succeed():
    with scratch_postgres() as postgres:
        env = clean_environment(
            DATABASE_URL=postgres.url, CONN_MAX_AGE="60", ALLOWED_HOSTS="127.0.0.1"
        )
        manage("migrate", "--noinput", env=env)
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
