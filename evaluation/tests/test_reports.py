"""A round's report (admin), its .xlsx evaluation table and the public summary of a closed
round."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from devolution.models import DepartmentStaff
from devolution.tests.factories import UserFactory
from evaluation import reports
from evaluation.export import HEADERS
from evaluation.models import Recommendation
from evaluation.services import (
    close_round,
    open_round,
    recommend_keep,
    refresh_evidence,
    save_answers,
)
from handover.models import TrainingAssistance
from handover.tests.factories import HandoverFactory, TrainingPeriodFactory
from items.tests.factories import DevolvedItemFactory
from seals.tests.factories import SealUsageFactory
from supervision.roles import DEPARTMENT_STAFF, REFORM_OFFICE

pytestmark = pytest.mark.django_db

FROM, TO = datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)
NOW = datetime.datetime(2018, 1, 20, tzinfo=datetime.UTC)


def office():
    user = UserFactory(username="office")
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


def build_round():
    """Three items: one stamped in March and June, one used only through 代办, one never."""
    used = SealUsageFactory(stamped_on=datetime.date(2017, 3, 2))
    SealUsageFactory(item=used.item, seal=used.seal, stamped_on=datetime.date(2017, 6, 5))
    acting = DevolvedItemFactory(county_department=used.item.county_department, plan=used.item.plan)
    training = TrainingPeriodFactory(
        handover=HandoverFactory(
            plan=acting.plan,
            county_department=acting.county_department,
            completed_on=datetime.date(2016, 9, 30),
            signed_by="李四",
        )
    )
    TrainingAssistance.objects.create(
        period=training, item=acting, mode="acting", starts_on=datetime.date(2017, 4, 1)
    )
    never = DevolvedItemFactory(name="从未使用的事项")
    evaluation_round = open_round("2017年度评估", FROM, TO, office(), datetime.date(2018, 1, 5))
    return evaluation_round, used.item, acting, never


def test_the_report_counts_never_used_acting_only_and_recommendations():
    evaluation_round, used, _, never = build_round()
    evaluations = evaluation_round.evaluations.all()
    totals = reports.totals(evaluations)
    assert (totals.items, totals.never_used, totals.acting_only, totals.pending) == (3, 1, 1, 3)
    rows = {row.label: row for row in reports.by_department(evaluations)}
    assert rows[used.county_department.short_name].items == 2
    assert rows[never.county_department.short_name].never_used == 1
    assert [row.items for row in reports.by_power_type(evaluations)] == [3]
    grid = reports.stamps_per_month(evaluation_round, evaluations)
    assert len(grid.months) == 12
    assert grid.rows == [(used.county_department.short_name, [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])]


def test_the_report_page_and_its_chart_take_a_fixed_number_of_queries(client):
    evaluation_round, used, _, _ = build_round()
    client.force_login(evaluation_round.opened_by)
    url = reverse("admin:evaluation_evaluationround_report", args=[evaluation_round.pk])
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(captured), page.content.decode()

    few, page = queries()
    assert "<svg" in page and "按承接部门" in page and "按权力类型" in page
    assert f"{used.county_department.short_name} 2017年03月：用印 1 次" in page
    for usage in SealUsageFactory.create_batch(5, stamped_on=datetime.date(2017, 8, 8)):
        DevolvedItemFactory(county_department=usage.item.county_department)
    refresh_evidence(evaluation_round, evaluation_round.opened_by)
    many, _ = queries()
    assert few == many


def test_a_clerk_s_report_shows_only_their_department(client):
    evaluation_round, used, _, never = build_round()
    clerk = UserFactory(username="clerk")
    clerk.groups.add(Group.objects.get(name=DEPARTMENT_STAFF))
    DepartmentStaff.objects.create(user=clerk, department=never.county_department)
    client.force_login(clerk)
    url = reverse("admin:evaluation_evaluationround_report", args=[evaluation_round.pk])
    page = client.get(url).content.decode()
    assert never.county_department.short_name in page
    assert used.county_department.short_name not in page


def test_the_xlsx_is_an_evaluation_table_a_county_files(client):
    evaluation_round, used, _, _ = build_round()
    client.force_login(evaluation_round.opened_by)
    url = reverse("admin:evaluation_evaluationround_export", args=[evaluation_round.pk])
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "评估表" in rows[0][0] and "2017年度评估" in rows[1][0]
    assert [cell for cell in rows[2] if cell] == [
        "基本情况",
        "放得下",
        "接得住",
        "管得好",
        "意见与建议",
    ]
    assert list(rows[3]) == HEADERS
    body = {row[2]: dict(zip(HEADERS, row, strict=True)) for row in rows[4:7]}
    assert body[used.name]["期间用印次数"] == 2
    assert body[used.name]["首次用印"] == "2017-03-02"
    assert "填报单位（盖章）：" in rows[-1]
    assert {str(merged) for merged in sheet.merged_cells.ranges} >= {"A1:AF1", "A3:G3"}


def test_the_public_site_publishes_a_closed_round_without_internal_comments(client):
    evaluation_round, _, _, never = build_round()
    withdraw = evaluation_round.evaluations.get(item=never)
    withdraw.recommendation = Recommendation.WITHDRAW
    withdraw.recommendation_reason = "内部理由：期间从未办件"
    withdraw.legal_review_note = "内部合法性审查意见"
    withdraw.problems = "内部自评问题"
    save_answers(withdraw, evaluation_round.opened_by, ["recommendation"], now=NOW)
    url = reverse("public:evaluation", args=[evaluation_round.pk])
    assert client.get(url).status_code == 404  # still open
    recommend_keep(evaluation_round.evaluations.all(), evaluation_round.opened_by, now=NOW)
    close_round(evaluation_round, evaluation_round.opened_by, datetime.date(2018, 3, 1))
    page = client.get(url)
    assert page.status_code == 200 and not page.cookies
    text = page.content.decode()
    assert "建议收回的事项（1项）" in text and "从未使用的事项" in text
    assert "内部" not in text
    listing = client.get(reverse("public:evaluations")).content.decode()
    assert "2017年度评估" in listing
