"""A stamp recorded while the seal is being recalled is judged against the recall, not against
a copy read before it: the stamp and the custody step lock the seal's row (PostgreSQL)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from items.models import ItemStatus
from items.tests.factories import DevolvedItemFactory
from seals.models import Seal, SealStatus, SealUsage
from seals.services import advance_seal
from seals.tests.factories import EnabledSealFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_stamp_waits_for_a_recall_in_progress_and_is_then_refused():
    seal = EnabledSealFactory()
    item = DevolvedItemFactory(
        plan=seal.plan, county_department=seal.holder, status=ItemStatus.IN_TRAINING
    )
    recall_holds_the_lock = threading.Event()
    failures = []

    def recall():
        try:
            with transaction.atomic():
                advance_seal(seal, SealStatus.SEALED_AWAY, datetime.date(2016, 12, 1), "王五")
                recall_holds_the_lock.set()
                # Commit only after the stamp has had time to read the seal.
                threading.Event().wait(0.5)
        except Exception as error:  # reported to the main thread
            failures.append(error)
            recall_holds_the_lock.set()
        finally:
            connections.close_all()

    recaller = threading.Thread(target=recall)
    recaller.start()
    assert recall_holds_the_lock.wait(10)
    stamp = SealUsage(
        seal=Seal.objects.get(pk=seal.pk),  # read before the recall commits: still enabled
        item=item,
        stamped_on=datetime.date(2016, 12, 1),
        document_reference="盘山审〔2016〕99号",
        applicant="某公司",
        stamped_by="张三",
    )
    assert stamp.seal.status == SealStatus.ENABLED
    with pytest.raises(ValidationError, match="已收回封存"):
        stamp.save()
    recaller.join()
    assert not failures
    assert not SealUsage.objects.exists()
