"""The daily scan through the real queue: a Celery worker consuming from the local Redis, and
the site when Redis is down."""

import datetime
import logging
import os

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from handover.models import DeadlineFlag
from handover.tasks import flag_deadlines
from handover.tests.celery_broker import celery_broker
from handover.tests.factories import HandoverFactory

# .ci/run exports TEST_REDIS_URL; by hand, a Redis database of its own.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def real_worker():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is unreachable; the worker test needs it: {error}")
    with (
        celery_broker(REDIS_URL, result_backend=REDIS_URL) as app,
        start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30),
    ):
        yield app


@pytest.mark.django_db(transaction=True)
def test_the_scan_runs_in_a_real_worker_through_redis(real_worker):
    handovers = HandoverFactory.create_batch(3)
    result = flag_deadlines.delay(today="2016-10-09")
    assert result.get(timeout=60) == {
        "today": "2016-10-09",
        "opened": 3,
        "resolved": 0,
        "notified": 0,
        "escalated": 0,
        # The factories' departments have no contact address: nobody could be told.
        "unreachable": [h.city_department.short_name for h in handovers],
    }
    flags = DeadlineFlag.objects.filter(resolved_on__isnull=True, deadline="handover")
    assert sorted(flags.values_list("object_id", flat=True)) == sorted(h.pk for h in handovers)
    assert set(flags.values_list("found_on", flat=True)) == {datetime.date(2016, 10, 9)}


@pytest.mark.django_db
def test_with_redis_down_the_admin_serves_and_the_failed_enqueue_is_logged(
    admin_client_logged_in, caplog
):
    HandoverFactory.create_batch(2)
    with celery_broker(CLOSED_PORT_URL), caplog.at_level(logging.ERROR, "handover.tasks"):
        for name in [
            "admin:index",
            "admin:handover_handover_changelist",
            "admin:handover_deadlineflag_overdue",
        ]:
            assert admin_client_logged_in.get(reverse(name)).status_code == 200
        response = admin_client_logged_in.post(
            reverse("admin:handover_deadlineflag_check"), follow=True
        )
    assert response.status_code == 200
    assert "任务队列暂不可用，已直接检查" in response.content.decode()
    assert any("无法加入队列" in record.getMessage() for record in caplog.records)
    # The check still ran, in the request, against the wall clock's today.
    assert DeadlineFlag.objects.filter(deadline="handover").count() == 2
