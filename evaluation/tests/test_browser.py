"""A round in a real browser: the reform office opens a round in the admin, reads its report
(tables and the stamps-per-month chart) and, once the round is closed, the public summary.
Screenshots for the README."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from devolution.tests.browser import screenshot
from evaluation.models import EvaluationRound, Recommendation
from evaluation.services import close_round, recommend_keep, save_answers
from handover.models import TrainingAssistance, TrainingPeriod
from items.models import DevolvedItem
from seals.models import Seal, SealUsage
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db(transaction=True)


def stamp_some_items():
    """Stamps on a third of the items of the departments that hold seals, month by month
    through 2017, and 代办 on a few: the history a year of use leaves. Test data, written in
    bulk past the stamping rules (which seals/tests cover)."""
    seal_of = {seal.holder_id: seal.pk for seal in Seal.objects.order_by("pk")}
    usages = []
    items = DevolvedItem.objects.filter(county_department_id__in=seal_of).order_by("pk")
    for index, item in enumerate(items):
        if index % 3:
            continue
        for month in range(1, 13):
            if (index + month) % 4 == 0:
                usages.append(
                    SealUsage(
                        seal_id=seal_of[item.county_department_id],
                        item=item,
                        stamped_on=datetime.date(2017, month, 1 + index % 27),
                        document_reference=f"盘山审〔2017〕{index}-{month}号",
                        applicant="盘山县某某有限公司",
                        stamped_by="张三",
                        route="province" if month % 5 == 0 else "city",
                        forwarded_by_id=item.city_department_id if month % 5 == 0 else None,
                        forwarded_on=datetime.date(2017, month, 1 + index % 27)
                        if month % 5 == 0
                        else None,
                    )
                )
    SealUsage.objects.bulk_create(usages)
    period = TrainingPeriod.objects.select_related("handover").first()
    if period is not None:
        for item in DevolvedItem.objects.filter(
            county_department=period.handover.county_department
        )[:3]:
            TrainingAssistance.objects.create(
                period=period, item=item, mode="acting", starts_on=datetime.date(2017, 3, 1)
            )
    return len(usages)


def test_the_office_opens_a_round_and_reads_its_report(page, site, django_user_model):
    stamps = stamp_some_items()
    assert stamps > 0
    office = django_user_model.objects.create_user(
        "office", password="panshan-office-2016", is_staff=True
    )
    office.groups.add(Group.objects.get(name=REFORM_OFFICE))
    page.set_viewport_size({"width": 1500, "height": 1000})
    page.goto(site + "/admin/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("panshan-office-2016")
    page.get_by_role("button", name="登录").click()

    page.goto(site + "/admin/evaluation/evaluationround/add/")
    page.get_by_label("评估名称").fill("2017年度赋权事项评估")
    page.get_by_label("评估期间起").fill("2017-01-01")
    page.get_by_label("评估期间止").fill("2017-12-31")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("2017年度赋权事项评估")
    evaluation_round = EvaluationRound.objects.get()
    assert evaluation_round.evaluations.count() == DevolvedItem.objects.current().count()

    page.get_by_role("link", name="查看报告").click()
    report = page.locator("#evaluation-report")
    expect(report.locator("caption").first).to_have_text("按承接部门")
    expect(report.locator("tfoot").first).to_contain_text(str(evaluation_round.evaluations.count()))
    expect(report.locator("svg rect").first).to_be_visible()
    screenshot(page, "admin-evaluation-report.png")

    # The office withdraws one item, keeps the rest and closes the round; the public sees it.
    never = evaluation_round.evaluations.never_used().select_related("item").first()
    never.recommendation = Recommendation.WITHDRAW
    never.recommendation_reason = "评估期间从未办件"
    save_answers(never, office, ["recommendation", "recommendation_reason"])
    recommend_keep(evaluation_round.evaluations.all(), office)
    close_round(evaluation_round, office, datetime.date.today())
    page.goto(site + f"/evaluations/{evaluation_round.pk}/")
    expect(page.locator("h2")).to_contain_text("建议收回的事项（1项）")
    expect(page.locator("main")).to_contain_text(never.item.name)
    expect(page.locator("main")).not_to_contain_text("评估期间从未办件")
    screenshot(page, "public-evaluation.png")
