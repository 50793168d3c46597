"""Rule 8 on every door of the admin: an item's or a cancelled entry's public fields are not
edited in place; each door drafts an adjustment, and the list changes only when another person
has approved it and it is published."""

import datetime

import pytest
from django.urls import reverse

from devolution.tests.factories import CountyDepartmentFactory
from items import adjustments
from items.models import (
    Adjustment,
    CancelledApproval,
    ChangeKind,
    DevolvedItem,
    ItemStatus,
)
from supervision.roles import DEPARTMENT_STAFF

from .factories import CancelledApprovalFactory, DevolvedItemFactory
from .test_adjustments import approved, in_role

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2019, 1, 1)


def publish_it(adjustment, reviewer):
    approved(adjustment, reviewer)
    return adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕9号", EFFECTIVE)


def proposal_data(item, **changed):
    """What the 提出调整 form posts: the item's public fields, some changed."""
    data = {
        name: getattr(item, attname) if getattr(item, attname) is not None else ""
        for name, attname in [
            ("sequence", "sequence"),
            ("code", "code"),
            ("name", "name"),
            ("sub_item", "sub_item"),
            ("basic_code", "basic_code"),
            ("implementation_code", "implementation_code"),
            ("handling_code", "handling_code"),
            ("sub_item_code", "sub_item_code"),
            ("exercise_level", "exercise_level"),
            ("devolution_mode", "devolution_mode"),
            ("power_type", "power_type"),
            ("city_department", "city_department_id"),
            ("county_department", "county_department_id"),
            ("legal_basis", "legal_basis"),
            ("note", "note"),
            ("provincial_system", "provincial_system_id"),
        ]
    }
    return {**data, **changed}


def test_the_item_form_edits_nothing_and_the_proposal_changes_the_list_at_publish(
    client, office, reviewer
):
    item = DevolvedItemFactory(name="原名称")
    client.force_login(office)
    change_url = reverse("admin:items_devolveditem_change", args=[item.pk])
    page = client.get(change_url).content.decode()
    assert "提出调整" in page and 'name="name"' not in page and 'name="_save"' not in page
    # A direct post of the old form changes nothing.
    client.post(change_url, {**proposal_data(item, name="直接改名"), "_save": "保存"})
    item.refresh_from_db()
    assert item.name == "原名称"

    propose = reverse("admin:items_devolveditem_propose", args=[item.pk])
    assert "加入调整草稿" in client.get(propose).content.decode()
    response = client.post(
        propose, {**proposal_data(item, name="新名称"), "title": "改名", "change_note": "规范名称"}
    )
    adjustment = Adjustment.objects.get()
    assert response.status_code == 302
    change = adjustment.changes.get()
    assert (change.kind, change.values, change.note) == ("change", {"name": "新名称"}, "规范名称")
    item.refresh_from_db()
    assert item.name == "原名称"
    assert "原名称" in client.get("/items/").content.decode()
    # Proposed again into the same draft: its values are revised, not doubled.
    client.post(propose, {**proposal_data(item, name="新名称二"), "adjustment": adjustment.pk})
    assert adjustment.changes.get().values == {"name": "新名称二"}

    publish_it(adjustment, reviewer)
    item.refresh_from_db()
    assert item.name == "新名称二"
    assert "新名称二" in client.get("/items/").content.decode()


def test_a_proposal_is_checked_like_the_item_before_anything_is_drafted(client, office):
    item = DevolvedItemFactory()
    other = DevolvedItemFactory(plan=item.plan)
    client.force_login(office)
    propose = reverse("admin:items_devolveditem_propose", args=[item.pk])
    page = client.post(propose, {**proposal_data(item, code=other.code), "title": "撞码"})
    assert "本方案中已有相同编码的事项" in page.content.decode()
    page = client.post(propose, {**proposal_data(item), "title": "未改"}).content.decode()
    assert "没有字段发生变化" in page
    assert not Adjustment.objects.exists()  # nothing drafted from a refused proposal


def test_adding_an_item_in_the_admin_drafts_an_add(client, office, reviewer):
    model = DevolvedItemFactory()
    client.force_login(office)
    data = proposal_data(model, code="PJ-NEW-9", name="新增的事项", sequence="")
    response = client.post(
        reverse("admin:items_devolveditem_add"), {**data, "plan": model.plan_id, "title": "新增"}
    )
    assert response.status_code == 302
    assert not DevolvedItem.objects.filter(name="新增的事项").exists()
    adjustment = Adjustment.objects.get()
    assert adjustment.changes.get().kind == ChangeKind.ADD
    publish_it(adjustment, reviewer)
    added = DevolvedItem.objects.current().get(name="新增的事项")
    assert added.listed_from == 2


def test_a_clerk_proposes_for_their_own_items_only(client):
    county = CountyDepartmentFactory()
    own, other = DevolvedItemFactory(county_department=county), DevolvedItemFactory()
    client.force_login(in_role(DEPARTMENT_STAFF, "door-clerk", county))
    own_url = reverse("admin:items_devolveditem_propose", args=[own.pk])
    client.post(own_url, {**proposal_data(own, note="本部门的备注"), "title": "本部门申请"})
    assert Adjustment.objects.get().department == county
    other_url = reverse("admin:items_devolveditem_propose", args=[other.pk])
    assert client.get(other_url).status_code == 403
    page = client.post(
        own_url,
        {
            **proposal_data(own, county_department=other.county_department_id),
            "title": "转给别的部门",
        },
    )
    assert page.status_code == 200 and Adjustment.objects.count() == 1


def test_merge_and_split_are_drafted_in_the_admin(client, office, reviewer):
    first, second, whole = DevolvedItemFactory.create_batch(3)
    client.force_login(office)
    changelist = reverse("admin:items_devolveditem_changelist")
    selected = {"action": "propose_merge", "_selected_action": [first.pk, second.pk]}
    page = client.post(changelist, selected).content.decode()
    assert "合并后的事项名称" in page and first.name in page
    response = client.post(
        changelist, {**selected, "apply": "1", "name": "合并后的事项", "title": "合并"}
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    split_url = reverse("admin:items_devolveditem_propose_split", args=[whole.pk])
    page = client.post(split_url, {"adjustment": adjustment.pk, "parts_text": "只有一个"})
    assert "拆分须至少列出两个事项" in page.content.decode()
    client.post(
        split_url,
        {"adjustment": adjustment.pk, "parts_text": f"{whole.name}｜甲｜PJ-S-1\n{whole.name}｜乙"},
    )
    kinds = sorted(adjustment.changes.values_list("kind", flat=True))
    assert kinds == ["add", "add", "add", "merge", "merge", "split"]
    assert set(DevolvedItem.objects.current()) == {first, second, whole}

    publish_it(adjustment, reviewer)
    current = set(DevolvedItem.objects.current().values_list("name", "sub_item", "code"))
    parts = {(whole.name, "甲", "PJ-S-1"), (whole.name, "乙", "")}
    assert current == {("合并后的事项", "", ""), *parts}
    assert set(DevolvedItem.objects.as_of(1)) == {first, second, whole}


def test_the_cancelled_list_changes_only_by_a_published_retirement(client, office, reviewer):
    entry = CancelledApprovalFactory(name="取消的事项")
    client.force_login(office)
    change_url = reverse("admin:items_cancelledapproval_change", args=[entry.pk])
    client.post(change_url, {"name": "直接改名", "_save": "保存"})
    entry.refresh_from_db()
    assert entry.name == "取消的事项"
    assert 'name="_save"' not in client.get(change_url).content.decode()
    add = client.get(reverse("admin:items_cancelledapproval_add"))
    assert add.status_code == 403

    changelist = reverse("admin:items_cancelledapproval_changelist")
    client.post(changelist, {"action": "propose_retire", "_selected_action": [entry.pk]})
    adjustment = Adjustment.objects.get()
    assert adjustment.changes.get().cancelled == entry
    entry.refresh_from_db()
    assert entry.retired_on is None
    assert "取消的事项" in client.get("/cancelled/").content.decode()

    publish_it(adjustment, reviewer)
    entry.refresh_from_db()
    assert entry.retired_on == EFFECTIVE and entry.listed_until == 2
    assert entry not in CancelledApproval.objects.current()
    assert entry in CancelledApproval.objects.as_of(1)
    assert "取消的事项" not in client.get("/cancelled/").content.decode()
    log = client.get("/changes/").content.decode()
    assert "取消的事项（取消事项清单）" in log and f"/cancelled/{entry.pk}/" in log


def test_the_cancel_action_drafts_a_cancellation(client, office, reviewer):
    item = DevolvedItemFactory()
    client.force_login(office)
    client.post(
        reverse("admin:items_devolveditem_changelist"),
        {"action": "propose_cancel", "_selected_action": [item.pk]},
    )
    publish_it(Adjustment.objects.get(), reviewer)
    assert DevolvedItem.objects.get(pk=item.pk).status == ItemStatus.CANCELLED
