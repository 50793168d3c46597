"""办件量 imported for the round under way through the exchange engine: preview, all-or-nothing,
errors named by row."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from devolution.exchange.engine import import_file
from devolution.exchange.errors import ExchangeError
from devolution.models import DepartmentStaff, ImportRecord
from devolution.tests.factories import UserFactory
from devolution.tests.sheets import csv_bytes, xlsx_bytes
from evaluation.exchange import HEADERS
from evaluation.models import ItemEvaluation
from evaluation.tests.factories import ClosedEvaluationRoundFactory, ItemEvaluationFactory
from supervision.roles import OPERATOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluations():
    return ItemEvaluationFactory.create_batch(2)


def volumes():
    return list(ItemEvaluation.objects.order_by("pk").values_list("case_volume", flat=True))


def test_case_volumes_by_code_or_by_name_and_department(evaluations):
    first, second = evaluations
    data = xlsx_bytes(
        [
            HEADERS,
            [first.item.code, "", "", "", "12"],
            ["", second.item.name, "", second.county_department.full_name, "0"],
        ]
    )
    record, result = import_file(data, "办件量.xlsx", "case_volumes")
    assert result.ok, result.errors
    assert record.status == ImportRecord.Status.COMMITTED
    assert volumes() == [12, 0]
    first.refresh_from_db()
    assert first.history.latest().case_volume == 12


def test_an_unknown_item_refuses_the_whole_file_naming_the_row(evaluations):
    first, _ = evaluations
    data = csv_bytes(
        [HEADERS, [first.item.code, "", "", "", "7"], ["PJ-不存在-9999", "", "", "", "3"]]
    )
    record, result = import_file(data, "办件量.csv", "case_volumes")
    assert not result.ok
    assert result.errors == [
        (3, "编码为“PJ-不存在-9999”的事项不在本轮评估（" + first.round.title + "）中。")
    ]
    assert record.status == ImportRecord.Status.REFUSED and "第 3 行" in record.message
    assert volumes() == [None, None]


def test_bad_counts_are_row_numbered_chinese_errors(evaluations):
    first, second = evaluations
    data = csv_bytes(
        [HEADERS, [first.item.code, "", "", "", "十二"], [second.item.code, "", "", "", "-1"]]
    )
    _, result = import_file(data, "办件量.csv", "case_volumes", dry_run=True)
    assert [row for row, _ in result.errors] == [2, 3]
    assert "应为整数" in result.errors[0][1] and "不能为负数" in result.errors[1][1]
    assert volumes() == [None, None]


def test_without_a_round_under_way_nothing_is_imported():
    ClosedEvaluationRoundFactory()
    with pytest.raises(ExchangeError, match="当前没有正在进行的评估"):
        import_file(csv_bytes([HEADERS, ["X", "", "", "", "1"]]), "a.csv", "case_volumes")


def test_the_admin_previews_then_confirms(client, evaluations):
    first, _ = evaluations
    operator = UserFactory(username="operator")
    operator.groups.add(Group.objects.get(name=OPERATOR))
    client.force_login(operator)
    upload = csv_bytes([HEADERS, [first.item.code, "", "", "", "5"]])
    url = reverse("admin:evaluation_itemevaluation_import")
    page = client.post(url, {"file": SimpleUploadedFile("办件量.csv", upload)})
    assert page.status_code == 200 and "修改" in page.content.decode()
    assert volumes() == [None, None]
    record = ImportRecord.objects.get()
    confirm = reverse("admin:evaluation_itemevaluation_import_confirm", args=[record.pk])
    assert client.post(confirm).status_code == 302
    assert volumes() == [5, None]


def test_a_department_operator_imports_only_its_own_items(evaluations):
    first, second = evaluations
    clerk = UserFactory(username="dept-operator")
    clerk.groups.add(Group.objects.get(name=OPERATOR))
    DepartmentStaff.objects.create(user=clerk, department=first.county_department)
    data = csv_bytes(
        [HEADERS, [first.item.code, "", "", "", "4"], [second.item.code, "", "", "", "9"]]
    )
    _, result = import_file(data, "办件量.csv", "case_volumes", user=clerk)
    assert [row for row, _ in result.errors] == [3]
    assert volumes() == [None, None]
