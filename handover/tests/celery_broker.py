"""Points the project's Celery app at a given broker for one test, and back afterwards."""

from contextlib import contextmanager

from devolution.celery import app as celery_app


def _forget_connections():
    # The app caches its producer pool and result backend; drop them so the new URLs are used.
    celery_app._pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_broker(url, result_backend=None):
    keys = ["broker_url", "result_backend", "task_always_eager"]
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=url, result_backend=result_backend, task_always_eager=False)
    _forget_connections()
    try:
        yield celery_app
    finally:
        celery_app.conf.update(saved)
        _forget_connections()
