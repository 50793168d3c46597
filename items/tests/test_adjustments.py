"""动态调整: draft → review by another user → publish; versions readable as of any date."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from devolution.tests.factories import CountyDepartmentFactory, DepartmentStaffFactory, UserFactory
from items import adjustments
from items.models import (
    Adjustment,
    AdjustmentStep,
    CancelledApproval,
    ChangeKind,
    DevolvedItem,
    ItemRevision,
    ItemStatus,
    ListVersion,
)
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF

from .factories import DevolvedItemFactory

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2019, 1, 1)


def in_role(role, username, department=None):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    if department is not None:
        DepartmentStaffFactory(user=user, department=department)
    return user


def approved(adjustment, reviewer):
    adjustments.submit(adjustment, adjustment.created_by)
    return adjustments.approve(adjustment, reviewer, "同意")


def test_version_one_is_the_2016_annexes():
    first = ListVersion.objects.get(number=1)
    assert first.doc_number == "盘县政办发〔2016〕109号"
    assert adjustments.version_in_force(datetime.date(2016, 9, 9)) == 1
    assert adjustments.version_in_force(datetime.date(2016, 9, 8)) == 0


def test_draft_review_publish_withdraws_and_changes_only_at_publish(office, reviewer):
    kept, withdrawn, renamed = DevolvedItemFactory.create_batch(3)
    adjustment = adjustments.draft("2018年度动态调整", office)
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=withdrawn, note="承接不了")
    adjustments.add_change(adjustment, ChangeKind.CHANGE, item=renamed, values={"name": "新名称"})
    adjustments.submit(adjustment, office)
    adjustments.approve(adjustment, reviewer, "同意")
    # Approved, not published: the list is what it was.
    assert set(DevolvedItem.objects.current()) == {kept, withdrawn, renamed}
    renamed.refresh_from_db()
    assert renamed.name != "新名称"

    version = adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)

    assert version.number == 2
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.PUBLISHED and adjustment.version == version
    assert set(DevolvedItem.objects.current()) == {kept, renamed}
    withdrawn.refresh_from_db()
    assert withdrawn.status == ItemStatus.WITHDRAWN and withdrawn.retired_on == EFFECTIVE
    assert withdrawn.history.count() == 2  # kept, with its history
    # The list before and after the withdrawal.
    before = DevolvedItem.objects.as_of(adjustments.version_in_force(datetime.date(2018, 12, 31)))
    after = DevolvedItem.objects.as_of(adjustments.version_in_force(EFFECTIVE))
    assert {item.pk for item in before} == {kept.pk, withdrawn.pk, renamed.pk}
    assert {item.pk for item in after} == {kept.pk, renamed.pk}
    # Version 1 still shows the old name; storage: one revision per touched item.
    assert {item.pk: item.name for item in before}[renamed.pk] == renamed.history.earliest().name
    assert ItemRevision.objects.count() == 2
    actions = list(adjustment.steps.values_list("action", flat=True))
    assert actions == ["draft", "submit", "approve", "publish"]


def test_the_author_cannot_approve_their_own_draft(office):
    adjustment = adjustments.draft("自审", office)
    adjustments.add_change(adjustment, ChangeKind.RETIRE, item=DevolvedItemFactory())
    adjustments.submit(adjustment, office)
    with pytest.raises(ValidationError, match="起草人不能审核"):
        adjustments.approve(adjustment, office)
    # The database refuses it too, whatever the door.
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.filter(pk=adjustment.pk).update(reviewed_by=office)


def test_a_rejected_draft_changes_nothing_and_is_kept(office, reviewer):
    item = DevolvedItemFactory()
    adjustment = adjustments.draft("退回的调整", office)
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=item)
    adjustments.submit(adjustment, office)
    adjustments.reject(adjustment, reviewer, "理由不充分")
    with pytest.raises(ValidationError):
        adjustments.publish(adjustment, reviewer, "文号", EFFECTIVE)
    item.refresh_from_db()
    assert item.listed_until is None and item.status == ItemStatus.NOT_HANDED_OVER
    assert ListVersion.objects.count() == 1
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.REJECTED
    assert adjustment.steps.get(action=AdjustmentStep.Action.REJECT).note == "理由不充分"


def test_a_department_proposes_for_its_own_items_only():
    county = CountyDepartmentFactory()
    clerk = in_role(DEPARTMENT_STAFF, "county-clerk", county)
    own, other = DevolvedItemFactory(county_department=county), DevolvedItemFactory()
    adjustment = adjustments.draft("本部门申请", clerk)
    assert adjustment.department == county
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=own)
    with pytest.raises(PermissionDenied):
        adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=other)
    # The city side proposes for the items it gives.
    city_clerk = in_role(CITY_STAFF, "city-clerk", other.city_department)
    city_draft = adjustments.draft("市直部门申请", city_clerk)
    adjustments.add_change(city_draft, ChangeKind.WITHDRAW, item=other)
    with pytest.raises(PermissionDenied):
        adjustments.add_change(city_draft, ChangeKind.WITHDRAW, item=own)
    # A department cannot approve or publish.
    adjustments.submit(adjustment, clerk)
    with pytest.raises(PermissionDenied):
        adjustments.approve(adjustment, city_clerk)


def test_add_merge_split_cancel_and_redevolve(office, reviewer):
    first, second, whole, to_cancel = DevolvedItemFactory.create_batch(4)
    adjustment = adjustments.draft("合并拆分", office)
    merged = adjustments.add_change(
        adjustment,
        ChangeKind.ADD,
        values={
            **adjustments.raw_values(first),
            "plan": first.plan_id,
            "code": "PJ-NEW-1",
            "name": "合并后的事项",
        },
    )
    for source in (first, second):
        adjustments.add_change(adjustment, ChangeKind.MERGE, item=source, linked=merged)
    split = adjustments.add_change(adjustment, ChangeKind.SPLIT, item=whole)
    for part in ("甲", "乙"):
        adjustments.add_change(
            adjustment,
            ChangeKind.ADD,
            values={
                **adjustments.raw_values(whole),
                "plan": whole.plan_id,
                "code": f"{whole.code}-{part}",
                "sub_item": part,
            },
            linked=split,
        )
    adjustments.add_change(adjustment, ChangeKind.CANCEL, item=to_cancel, note="无依据")
    approved(adjustment, reviewer)
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕2号", EFFECTIVE)

    names = set(DevolvedItem.objects.current().values_list("name", "sub_item"))
    assert ("合并后的事项", "") in names
    assert {(whole.name, "甲"), (whole.name, "乙")} <= names
    assert not DevolvedItem.objects.current().filter(pk__in=[first.pk, second.pk, whole.pk])
    assert DevolvedItem.objects.get(pk=to_cancel.pk).status == ItemStatus.CANCELLED
    assert CancelledApproval.objects.as_of(2).filter(name=to_cancel.name).exists()
    assert not CancelledApproval.objects.as_of(1).filter(name=to_cancel.name).exists()
    # Version 1 holds the four originals and none of the new items.
    assert set(DevolvedItem.objects.as_of(1)) == {first, second, whole, to_cancel}

    again = adjustments.draft("重新下放", office)
    adjustments.add_change(again, ChangeKind.REDEVOLVE, item=to_cancel)
    approved(again, reviewer)
    adjustments.publish(again, reviewer, "盘县编办发〔2020〕1号", datetime.date(2020, 1, 1))
    assert to_cancel in DevolvedItem.objects.current()
    assert to_cancel not in DevolvedItem.objects.as_of(2)
    assert to_cancel in DevolvedItem.objects.as_of(1)


def test_publish_refuses_a_date_missing_before_the_last_version_or_after_today(office, reviewer):
    adjustment = adjustments.draft("倒签", office)
    adjustments.add_change(adjustment, ChangeKind.RETIRE, item=DevolvedItemFactory())
    approved(adjustment, reviewer)
    now = datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)  # 17:00 in Panshan
    refused = [
        (datetime.date(2015, 1, 1), "生效日期不能早于"),
        # Every door gets the same refusal of a missing date, not a TypeError.
        (None, "公布须填写生效日期"),
        # Publication changes the list and the statuses at once: not ahead of its date.
        (datetime.date(2026, 12, 3), "2026年12月3日晚于今天"),
    ]
    for effective_on, message in refused:
        with pytest.raises(ValidationError, match=message):
            adjustments.publish(adjustment, reviewer, "文号", effective_on, now=now)
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.APPROVED
    assert ListVersion.objects.count() == 1
    version = adjustments.publish(adjustment, reviewer, "文号", datetime.date(2026, 12, 2), now=now)
    assert (version.number, version.effective_on) == (2, datetime.date(2026, 12, 2))


def test_an_add_whose_code_is_taken_publishes_nothing(office, reviewer):
    existing = DevolvedItemFactory()
    adjustment = adjustments.draft("重复编码", office)
    adjustments.add_change(
        adjustment,
        ChangeKind.ADD,
        values={**adjustments.raw_values(existing), "plan": existing.plan_id},
    )
    approved(adjustment, reviewer)
    with pytest.raises(ValidationError, match="冲突"):
        adjustments.publish(adjustment, reviewer, "文号", EFFECTIVE)
    assert ListVersion.objects.count() == 1
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.APPROVED


def test_a_change_with_no_difference_or_an_unknown_field_is_refused(office):
    item = DevolvedItemFactory()
    adjustment = adjustments.draft("无变化", office)
    with pytest.raises(ValidationError, match="没有字段发生变化"):
        adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values={"name": item.name})
    with pytest.raises(ValidationError, match="不能通过动态调整修改"):
        adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values={"status": "x"})
