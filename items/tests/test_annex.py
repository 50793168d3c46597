"""A whole annex imported as a draft adjustment: the real annex replaces the illustrative items,
and the items it lacks leave the list only when the reviewer says so."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from devolution.tests.factories import UserFactory
from devolution.tests.sheets import xlsx_bytes
from items import adjustments
from items.annex import draft_from_annex
from items.models import ChangeKind, DevolvedItem, ItemStatus
from items.tabular import ITEM_HEADERS, item_rows
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db

TWO_CODES = (
    "11210000MB1234567X4" + "0" * 30 + "0001 / 子项 11210000MB1234567X4" + "0" * 30 + "000101"
)


def office(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


def annex_sharing_40_rows():
    shared = list(item_rows(DevolvedItem.objects.current().order_by("sequence", "pk")[:40]))
    code = ITEM_HEADERS.index("实施编码")
    for row in shared[:5]:
        row[ITEM_HEADERS.index("备注")] = "正式附件备注"
    new = list(shared[0])
    new[ITEM_HEADERS.index("事项名称")] = "正式附件新增事项"
    new[ITEM_HEADERS.index("事项编码")] = "ZS-0001"
    new[code] = TWO_CODES
    return xlsx_bytes([ITEM_HEADERS, *shared, new])


def publish(adjustment, author, reviewer, doc_number, effective_on):
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer)
    return adjustments.publish(adjustment, reviewer, doc_number, effective_on)


def test_a_full_annex_drafts_adds_changes_and_offers_the_rest(registry):
    author, reviewer = office("annex-author"), office("annex-reviewer")
    listed = DevolvedItem.objects.current().count()
    assert listed == DevolvedItem.objects.current().filter(illustrative=True).count() > 40

    annex = annex_sharing_40_rows()
    draft = draft_from_annex(annex, "附件2（正式）.xlsx", author)

    kinds = [kind for kind in draft.changes.values_list("kind", flat=True)]
    assert kinds.count(ChangeKind.ADD) == 1
    assert kinds.count(ChangeKind.CHANGE) == 40  # the mark goes; 5 also change their 备注
    offered = draft.changes.filter(kind=ChangeKind.RETIRE)
    assert offered.count() == listed - 40 and not offered.filter(accepted=True).exists()
    added = draft.changes.get(kind=ChangeKind.ADD)
    assert added.values["implementation_code"].endswith("0001")
    assert added.values["sub_item_code"].endswith("000101")
    assert DevolvedItem.objects.current().count() == listed  # nothing public yet

    # The reviewer accepts two of the missing rows, one by one; the rest stay on the list.
    chosen = list(offered.order_by("pk")[:2])
    for change in chosen:
        adjustments.accept_changes(draft, offered.filter(pk=change.pk))
    publish(draft, author, reviewer, "盘县编办发〔2019〕5号", datetime.date(2019, 3, 1))
    assert DevolvedItem.objects.current().count() == listed - 2 + 1
    assert {c.item.status for c in chosen} == {ItemStatus.RETIRED}
    assert DevolvedItem.objects.current().filter(illustrative=False).count() == 41
    new = DevolvedItem.objects.get(code="ZS-0001")
    assert new.implementation_code.startswith("11210000") and new.listed_from == 2

    # A second import of the same annex: the reviewer retires all the rest at once.
    again = draft_from_annex(annex, "附件2（正式）.xlsx", author)
    assert not again.changes.filter(kind=ChangeKind.ADD).exists()
    adjustments.accept_changes(again, again.changes.filter(accepted=False))
    publish(again, author, reviewer, "盘县编办发〔2019〕6号", datetime.date(2019, 4, 1))
    assert DevolvedItem.objects.current().count() == 41
    assert not DevolvedItem.objects.current().filter(illustrative=True).exists()
    # Version 1 still reads as it was: the illustrative annex.
    assert DevolvedItem.objects.as_of(1).count() == listed
    assert all(item.illustrative for item in DevolvedItem.objects.as_of(1))


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
    assert "新增 1" in out.getvalue() and "变更 40" in out.getvalue()
    with pytest.raises(CommandError, match="没有用户"):
        call_command("draft_annex_adjustment", str(path), user="nobody")
