"""Rule 8 on every door of the admin: an item's or a cancelled entry's public fields are not
edited in place; each door drafts an adjustment, and the list changes only when another person
has approved it and it is published."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from devolution.exchange.engine import import_file
from devolution.exchange.errors import ExchangeError
from devolution.models import ImportRecord
from devolution.tests.factories import CountyDepartmentFactory
from devolution.tests.sheets import xlsx_bytes
from items import adjustments
from items.models import (
    Adjustment,
    AdjustmentChange,
    CancelledApproval,
    CancelledRevision,
    ChangeKind,
    DevolvedItem,
    ItemStatus,
)
from items.tabular import CANCELLED_HEADERS
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


# --- the cancelled list (附件1): every door drafts, the list changes at publication ---------


def cancelled_file(*rows):
    """A sheet of the cancelled list with the export's headers."""
    return xlsx_bytes([CANCELLED_HEADERS, *rows])


def cancelled_row(entry, **changed):
    values = {
        "序号": entry.sequence,
        "事项名称": entry.name,
        "子项名称": entry.sub_item,
        "原实施部门": entry.original_department.full_name,
        "实施依据": entry.legal_basis,
        "取消理由": entry.reason,
        "备注": entry.note,
        **changed,
    }
    return [values.get(header.split("/")[0], "") for header in CANCELLED_HEADERS]


def status_cells(response):
    """The 状态 cells of the import records' list."""
    cells = re.findall(r'<td class="field-status_column">(.*?)</td>', response.content.decode())
    return cells


def test_importing_the_cancelled_list_drafts_an_adjustment_public_at_publish(
    client, office, reviewer
):
    entry = CancelledApprovalFactory(name="旧的取消事项", legal_basis="旧依据")
    kept = CancelledApprovalFactory(plan=entry.plan, name="不变的取消事项")
    new_row = cancelled_row(kept, 序号=9, 事项名称="新增的取消事项", 实施依据="新依据")
    data = cancelled_file(
        cancelled_row(entry, 实施依据="更正后的依据"), cancelled_row(kept), new_row
    )
    client.force_login(office)
    upload = io.BytesIO(data)
    upload.name = "附件1.xlsx"
    url = reverse("admin:items_cancelledapproval_import")
    page = client.post(url, {"file": upload, "plan": entry.plan.doc_number}).content.decode()
    assert "新增 1，修改 1，未变 1，错误 0" in page
    record = ImportRecord.objects.get()
    response = client.post(
        reverse("admin:items_cancelledapproval_import_confirm", args=[record.pk])
    )

    # Nothing public changed: the draft holds a 新增 and a 变更 of the cancelled list.
    adjustment = Adjustment.objects.get()
    assert response.url == reverse("admin:items_adjustment_change", args=[adjustment.pk])
    assert adjustment.source_import == record
    changes = {c.kind: c for c in adjustment.changes.all()}
    assert set(changes) == {ChangeKind.ADD, ChangeKind.CHANGE}
    assert all(c.annex == AdjustmentChange.Annex.CANCELLED for c in changes.values())
    assert changes[ChangeKind.CHANGE].cancelled == entry
    assert changes[ChangeKind.CHANGE].values == {"legal_basis": "更正后的依据"}
    assert CancelledApproval.objects.count() == 2
    entry.refresh_from_db()
    assert entry.legal_basis == "旧依据"
    public = client.get("/cancelled/").content.decode()
    assert "新增的取消事项" not in public
    # Its reviewer reads what the 新增 will say, not only its name.
    step_page = client.get(reverse("admin:items_adjustment_step", args=[adjustment.pk]))
    assert "实施依据：新依据" in step_page.content.decode()
    record.refresh_from_db()
    assert record.get_status_display() == "已生成草稿"
    records = reverse("admin:devolution_importrecord_changelist")
    draft_url = reverse("admin:items_adjustment_change", args=[adjustment.pk])
    listed = status_cells(client.get(records))
    assert listed == [f'已生成草稿：<a href="{draft_url}">#{adjustment.pk}</a>（草稿）']

    assert "草稿" in record.message
    version = publish_it(adjustment, reviewer)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.COMMITTED
    assert (
        record.message
        == f"生成的调整已公布为{version}，{version.effective_on:%Y年%-m月%-d日}起施行。"
    )
    assert status_cells(client.get(records)) == ["已导入"]
    added = CancelledApproval.objects.get(name="新增的取消事项")
    assert (added.listed_from, added.legal_basis) == (2, "新依据")
    entry.refresh_from_db()
    assert (entry.legal_basis, entry.state_from) == ("更正后的依据", 2)
    assert CancelledRevision.objects.get(entry=entry).legal_basis == "旧依据"
    # Today's list and version 2 have the new wording and entry; version 1 what it said then.
    assert client.get("/cancelled/").content.decode().count("新增的取消事项") == 1
    assert "新增的取消事项" not in client.get("/cancelled/?version=1").content.decode()
    api = client.get("/api/cancelled/", {"version": 1}).json()
    bases = {row["name"]: row["legal_basis"] for row in api["results"]}
    assert bases == {"旧的取消事项": "旧依据", "不变的取消事项": kept.legal_basis}
    api = client.get("/api/cancelled/", {"as_of": EFFECTIVE.isoformat()}).json()
    assert {row["name"]: row["legal_basis"] for row in api["results"]}["旧的取消事项"] == (
        "更正后的依据"
    )
    # A past version is searched in the wording it published.
    assert "旧的取消事项" in client.get("/cancelled/?version=1&q=旧依据").content.decode()
    assert "旧的取消事项" not in client.get("/cancelled/?q=旧依据").content.decode()
    log = client.get("/changes/").content.decode()
    assert "新增的取消事项（取消事项清单）" in log
    assert "实施依据：旧依据 → 更正后的依据" in log
    diff = client.get("/changes/", {"from": 1, "to": 2}).content.decode()
    assert "新增的取消事项（取消事项清单）" in diff and f"/cancelled/{added.pk}/" in diff


def test_the_cancelled_import_without_a_drafter_writes_nothing(plan_with_entry):
    entry = plan_with_entry
    data = cancelled_file(cancelled_row(entry, 事项名称="命令行新增"))
    with pytest.raises(ExchangeError, match="须指明起草人"):
        import_file(data, "附件1.xlsx", "cancelled", plan_doc_number=entry.plan.doc_number)
    assert not Adjustment.objects.exists()
    assert not CancelledApproval.objects.filter(name="命令行新增").exists()


def test_the_command_imports_the_cancelled_list_as_a_draft(plan_with_entry, office, tmp_path):
    entry = plan_with_entry
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(cancelled_file(cancelled_row(entry, 备注="更正备注")))
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), table="cancelled", stdout=io.StringIO())
    call_command(
        "import_registry",
        str(path),
        table="cancelled",
        plan=entry.plan.doc_number,
        user=office.username,
        stdout=io.StringIO(),
    )
    change = Adjustment.objects.get().changes.get()
    assert (change.kind, change.cancelled, change.values) == ("change", entry, {"note": "更正备注"})
    entry.refresh_from_db()
    assert entry.note == ""


def test_a_file_row_of_an_entry_off_the_list_drafts_nothing(plan_with_entry, office, reviewer):
    entry = plan_with_entry
    retirement = adjustments.draft("退出", office)
    adjustments.add_cancelled_retirement(retirement, entry)
    publish_it(retirement, reviewer)
    data = cancelled_file(cancelled_row(entry, 实施依据="改了依据"))
    with pytest.raises(ExchangeError, match="已不在清单中"):
        import_file(data, "附件1.xlsx", "cancelled", user=office)
    assert Adjustment.objects.count() == 1


def test_the_service_adds_corrects_and_retires_cancelled_entries(office, reviewer):
    entry, leaving = CancelledApprovalFactory.create_batch(2)
    adjustment = adjustments.draft("取消事项清单调整", office)
    values = {
        "plan": entry.plan_id,
        "name": "新列入的取消事项",
        "original_department": entry.original_department_id,
    }
    adjustments.add_cancelled_change(adjustment, ChangeKind.ADD, values=values)
    with pytest.raises(ValidationError, match="已有名称、子项和原实施部门都相同"):
        adjustments.add_cancelled_change(
            adjustment,
            ChangeKind.ADD,
            values={**values, "name": entry.name},
        )
    with pytest.raises(ValidationError, match="没有字段发生变化"):
        adjustments.add_cancelled_change(
            adjustment, ChangeKind.CHANGE, entry=entry, values={"name": entry.name}
        )
    with pytest.raises(ValidationError, match="不是取消事项清单的字段"):
        adjustments.add_cancelled_change(
            adjustment, ChangeKind.CHANGE, entry=entry, values={"power_type": "penalty"}
        )
    with pytest.raises(ValidationError, match="只能是新增、变更或退出"):
        adjustments.add_cancelled_change(adjustment, ChangeKind.WITHDRAW, entry=entry)
    change = adjustments.add_cancelled_change(
        adjustment, ChangeKind.CHANGE, entry=entry, values={"name": "更正的名称"}
    )
    adjustments.revise_change(change, {"name": "再次更正的名称", "reason": "新的理由"})
    adjustments.add_cancelled_retirement(adjustment, leaving)
    assert set(CancelledApproval.objects.current()) == {entry, leaving}

    publish_it(adjustment, reviewer)
    current = {e.name for e in CancelledApproval.objects.current()}
    assert current == {"再次更正的名称", "新列入的取消事项"}
    assert {e.name for e in CancelledApproval.objects.as_of(1)} == {entry.name, leaving.name}
    assert {e.reason for e in CancelledApproval.objects.as_of(1)} == {entry.reason}
    assert {e.name for e in CancelledApproval.objects.as_of(2)} == current


def test_a_department_corrects_only_its_own_cancelled_entries():
    county = CountyDepartmentFactory()
    own, other = CancelledApprovalFactory(original_department=county), CancelledApprovalFactory()
    clerk = in_role(DEPARTMENT_STAFF, "cancelled-clerk", county)
    adjustment = adjustments.draft("本部门更正", clerk)
    with pytest.raises(PermissionDenied):
        adjustments.add_cancelled_change(
            adjustment, ChangeKind.CHANGE, entry=other, values={"note": "别的部门"}
        )
    with pytest.raises(PermissionDenied):
        adjustments.add_cancelled_change(
            adjustment,
            ChangeKind.CHANGE,
            entry=own,
            values={"original_department": other.original_department_id},
        )
    adjustments.add_cancelled_change(
        adjustment, ChangeKind.CHANGE, entry=own, values={"note": "本部门备注"}
    )
    assert adjustment.changes.count() == 1


@pytest.fixture
def plan_with_entry():
    return CancelledApprovalFactory(name="命令行的取消事项", note="")
