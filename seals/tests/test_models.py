import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from items.tests.factories import CancelledApprovalFactory, DevolvedItemFactory
from seals.models import Seal, SealCustodyEvent, SealKind, SealStatus, SealUsage
from seals.tests.factories import SealFactory, SealUsageFactory

pytestmark = pytest.mark.django_db


def test_one_live_seal_of_a_kind_per_issuer_and_holder():
    seal = SealFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SealFactory(plan=seal.plan, holder=seal.holder, issuer=seal.issuer, name="另一枚")


def test_a_sealed_away_seal_can_be_replaced():
    seal = SealFactory(status=SealStatus.SEALED_AWAY)
    replacement = SealFactory(plan=seal.plan, holder=seal.holder, issuer=seal.issuer, name="新章")
    assert replacement.pk


def test_approval_and_non_approval_seals_coexist_for_one_holder():
    seal = SealFactory()
    other = SealFactory(
        plan=seal.plan, holder=seal.holder, kind=SealKind.NON_APPROVAL, name="非审批章"
    )
    assert Seal.objects.filter(holder=seal.holder).count() == 2 and other.pk


def test_seal_kind_and_status_are_checked_by_the_database():
    seal = SealFactory()
    for field, value in [("kind", "round"), ("status", "lost")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Seal.objects.filter(pk=seal.pk).update(**{field: value})


def test_each_custody_step_happens_once():
    seal = SealFactory()
    step = {"seal": seal, "step": SealStatus.DELIVERED, "person": "王五"}
    SealCustodyEvent.objects.create(happened_on=datetime.date(2016, 9, 20), **step)
    with pytest.raises(IntegrityError), transaction.atomic():
        SealCustodyEvent.objects.create(happened_on=datetime.date(2016, 9, 21), **step)


def test_a_stamp_names_its_document_and_stamper():
    usage = SealUsageFactory()
    for field in ["document_reference", "stamped_by"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            SealUsage.objects.filter(pk=usage.pk).update(**{field: ""})
    assert usage.history.count() == 1


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (DevolvedItemFactory, "赋权事项是登记记录，不能删除：请办理退出"),
        (CancelledApprovalFactory, "取消的行政审批事项是登记记录，不能删除：请办理退出"),
        (SealFactory, "专用分章是登记记录，不能删除：不再使用的印章请登记“收回封存”"),
        (SealUsageFactory, "用印登记是登记记录，不能删除：登记有误请更正该记录"),
    ],
    ids=["item", "cancelled", "seal", "stamp"],
)
def test_registry_records_refuse_delete_by_every_path(factory, message):
    record = factory()
    model = type(record)
    with pytest.raises(ProtectedError, match=message):
        record.delete()
    with pytest.raises(ProtectedError, match=message):
        model.objects.filter(pk=record.pk).delete()
    with pytest.raises(ProtectedError, match=message):
        model.objects.all().delete()
    assert model.objects.filter(pk=record.pk).exists()
    assert model.history.filter(id=record.pk, history_type="-").count() == 0
