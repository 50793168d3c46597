"""A whole annex imported as a draft adjustment: the real annex replaces the illustrative items,
and the items it lacks leave the list only when the reviewer says so."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from devolution.tests.factories import UserFactory
from devolution.tests.sheets import xlsx_bytes
from items import adjustments
from items.annex import draft_from_annex
from items.models import ChangeKind, DevolvedItem, ItemStatus
from items.tabular import ITEM_HEADERS, item_rows
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db

# A code cell as governments publish it: a main item's code and its sub-item's, 100 characters.
MAIN_CODE = "11210000MB1234567X4" + "0" * 23 + "0001"
SUB_CODE = "11210000MB1234567X4" + "0" * 23 + "000101"
TWO_CODES = f"{MAIN_CODE} / 子项 {SUB_CODE}"
assert len(TWO_CODES) == 100


def office(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


def shared_rows():
    """The first 40 rows of the current list, as an annex writes them; 5 with a new 备注."""
    shared = list(item_rows(DevolvedItem.objects.current().order_by("sequence", "pk")[:40]))
    for row in shared[:5]:
        row[ITEM_HEADERS.index("备注")] = "正式附件备注"
    return shared


def annex_sharing_40_rows():
    """A full annex that shares exactly 40 rows with the current list and lacks the rest."""
    return xlsx_bytes([ITEM_HEADERS, *shared_rows()])


def new_row_with_two_codes():
    new = list(shared_rows()[0])
    new[ITEM_HEADERS.index("事项名称")] = "正式附件新增事项"
    new[ITEM_HEADERS.index("事项编码")] = "ZS-0001"
    new[ITEM_HEADERS.index("实施编码")] = TWO_CODES
    return new


def publish(adjustment, author, reviewer, doc_number, effective_on):
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer)
    return adjustments.publish(adjustment, reviewer, doc_number, effective_on)


def test_a_full_annex_sharing_40_rows_retires_the_rest_only_when_the_reviewer_says(
    registry, client
):
    author, reviewer = office("annex-author"), office("annex-reviewer")
    current = DevolvedItem.objects.current().order_by("sequence", "pk")
    shared = set(current.values_list("pk", flat=True)[:40])
    # Some items the annex lacks are real (not 示例数据): those are offered for 收回, the
    # illustrative ones for 退出.
    real = list(current.exclude(pk__in=shared).values_list("pk", flat=True)[:10])
    DevolvedItem.objects.filter(pk__in=real).update(illustrative=False)
    listed = current.count()
    assert listed > 40

    draft = draft_from_annex(annex_sharing_40_rows(), "附件2（正式）.xlsx", author)

    kinds = list(draft.changes.values_list("kind", flat=True))
    assert kinds.count(ChangeKind.ADD) == 0
    assert kinds.count(ChangeKind.CHANGE) == 40  # the mark goes; 5 also change their 备注
    assert draft.changes.filter(kind=ChangeKind.CHANGE, values__note="正式附件备注").count() == 5
    offered = draft.changes.filter(kind__in=[ChangeKind.WITHDRAW, ChangeKind.RETIRE])
    assert offered.count() == listed - 40
    assert set(offered.filter(kind=ChangeKind.WITHDRAW).values_list("item", flat=True)) == set(real)
    assert not offered.filter(accepted=True).exists()  # offered, not made
    assert DevolvedItem.objects.current().count() == listed  # nothing public yet

    # One by one: the reviewer accepts one withdrawal and one retirement; the rest stay.
    withdrawn = offered.filter(kind=ChangeKind.WITHDRAW).first()
    retired = offered.filter(kind=ChangeKind.RETIRE).first()
    for change in (withdrawn, retired):
        adjustments.accept_changes(draft, offered.filter(pk=change.pk))
    publish(draft, author, reviewer, "盘县编办发〔2019〕5号", datetime.date(2019, 3, 1))
    assert DevolvedItem.objects.current().count() == listed - 2
    assert DevolvedItem.objects.get(pk=withdrawn.item_id).status == ItemStatus.WITHDRAWN
    assert DevolvedItem.objects.get(pk=retired.item_id).status == ItemStatus.RETIRED
    assert set(
        DevolvedItem.objects.current().filter(illustrative=False).values_list("pk", flat=True)
    ) == shared | (set(real) - {withdrawn.item_id})

    # All at once: the same annex again; the reviewer confirms every offered change on the
    # 办理 page, and the list is the annex's 40 rows.
    again = draft_from_annex(annex_sharing_40_rows(), "附件2（正式）.xlsx", author)
    assert again.changes.filter(accepted=False).count() == listed - 2 - 40
    adjustments.submit(again, author)
    client.force_login(reviewer)
    client.post(
        reverse("admin:items_adjustment_step", args=[again.pk]),
        {"action": "approve", "accept_all": "on"},
    )
    assert not again.changes.filter(accepted=False).exists()
    again.refresh_from_db()
    adjustments.publish(again, reviewer, "盘县编办发〔2019〕6号", datetime.date(2019, 4, 1))
    assert set(DevolvedItem.objects.current().values_list("pk", flat=True)) == shared
    assert not DevolvedItem.objects.current().filter(illustrative=True).exists()
    # Version 1 still reads as it was: the illustrative annex.
    assert DevolvedItem.objects.as_of(1).count() == listed


def test_a_code_cell_of_100_characters_with_two_codes_imports(registry):
    author, reviewer = office("codes-author"), office("codes-reviewer")
    annex = xlsx_bytes([ITEM_HEADERS, *shared_rows(), new_row_with_two_codes()])
    draft = draft_from_annex(annex, "附件2（正式）.xlsx", author)
    added = draft.changes.get(kind=ChangeKind.ADD)
    assert (added.values["implementation_code"], added.values["sub_item_code"]) == (
        MAIN_CODE,
        SUB_CODE,
    )
    publish(draft, author, reviewer, "盘县编办发〔2019〕5号", datetime.date(2019, 3, 1))
    new = DevolvedItem.objects.get(code="ZS-0001")
    assert (new.implementation_code, new.sub_item_code, new.listed_from) == (
        MAIN_CODE,
        SUB_CODE,
        2,
    )


def test_an_annex_with_errors_drafts_nothing(registry):
    author = office("annex-author")
    bad = xlsx_bytes([ITEM_HEADERS, [1, "事项", "", "不存在的类型", "", "", "县人社局"]])
    with pytest.raises(ValidationError, match="第 2 行"):
        draft_from_annex(bad, "坏文件.xlsx", author)
    from items.models import Adjustment

    assert not Adjustment.objects.exists()


def test_the_office_uploads_an_annex_in_the_admin_and_gets_a_draft(registry, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from items.models import Adjustment

    client.force_login(office("annex-uploader"))
    url = reverse("admin:items_adjustment_import_annex")
    assert (
        "整表导入附件" in client.get(reverse("admin:items_adjustment_changelist")).content.decode()
    )
    upload = SimpleUploadedFile("附件2.xlsx", annex_sharing_40_rows())
    response = client.post(url, {"upload": upload})
    adjustment = Adjustment.objects.get()
    assert response.status_code == 302 and str(adjustment.pk) in response["Location"]
    assert adjustment.source_import is not None
    bad = SimpleUploadedFile("坏.xlsx", b"not a spreadsheet")
    assert "生成调整草稿" in client.post(url, {"upload": bad}).content.decode()
    assert Adjustment.objects.count() == 1


def test_the_command_drafts_the_same_adjustment(registry, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    office("annex-command")
    path = tmp_path / "附件2.xlsx"
    path.write_bytes(annex_sharing_40_rows())
    out = io.StringIO()
    call_command("draft_annex_adjustment", str(path), user="annex-command", stdout=out)
    assert "变更 40，退出 268" in out.getvalue()
    with pytest.raises(CommandError, match="没有用户"):
        call_command("draft_annex_adjustment", str(path), user="nobody")
