from celery import shared_task

from devolution.exchange.engine import purge_uploads


@shared_task(name="devolution.tasks.purge_import_uploads")
def purge_import_uploads():
    """Daily (Celery beat): remove uploads whose preview was never confirmed in time."""
    return {"purged": purge_uploads()}
