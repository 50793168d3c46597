"""Every admin page a clerk opens answers, in Chinese, with a query count that does not grow
with the number of rows listed."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devolution.tests.factories import (
    CountyDepartmentFactory,
    DepartmentStaffFactory,
    HolidayFactory,
    ImportRecordFactory,
    PlanFactory,
)
from evaluation.tests.factories import ClosedEvaluationRoundFactory, ItemEvaluationFactory
from handover.tests.factories import (
    DeadlineFlagFactory,
    ForwardedDocumentFactory,
    HandoverFactory,
    ProvincialPortFactory,
    TrainingPeriodFactory,
)
from items.tests.factories import (
    AdjustmentFactory,
    CancelledApprovalFactory,
    DevolvedItemFactory,
    ListVersionFactory,
    ProvincialSystemFactory,
)
from seals.tests.factories import SealCustodyEventFactory, SealFactory, SealUsageFactory
from supervision.tests.factories import AccountabilityFactory

pytestmark = pytest.mark.django_db

# A factory for each model whose changelist lists registry rows.
LISTED = {
    "devolution.plan": PlanFactory,
    "devolution.department": CountyDepartmentFactory,
    "devolution.departmentstaff": DepartmentStaffFactory,
    "devolution.importrecord": ImportRecordFactory,
    "devolution.holiday": HolidayFactory,
    "items.devolveditem": DevolvedItemFactory,
    "items.cancelledapproval": CancelledApprovalFactory,
    "items.provincialsystem": ProvincialSystemFactory,
    "items.listversion": ListVersionFactory,
    "items.adjustment": AdjustmentFactory,
    "seals.seal": SealFactory,
    "seals.sealcustodyevent": SealCustodyEventFactory,
    "seals.sealusage": SealUsageFactory,
    "handover.handover": HandoverFactory,
    "handover.trainingperiod": TrainingPeriodFactory,
    "handover.provincialport": ProvincialPortFactory,
    "handover.forwardeddocument": ForwardedDocumentFactory,
    "handover.deadlineflag": DeadlineFlagFactory,
    "supervision.accountability": AccountabilityFactory,
    "evaluation.evaluationround": ClosedEvaluationRoundFactory,
    "evaluation.itemevaluation": ItemEvaluationFactory,
}
PROJECT_APPS = {"devolution", "items", "seals", "handover", "supervision", "evaluation"}
MAX_QUERIES_PER_PAGE = 25


def project_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS),
        key=lambda model: model._meta.label_lower,
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_is_in_the_admin_and_has_a_factory():
    assert {model._meta.label_lower for model in project_models()} == set(LISTED)


@pytest.mark.parametrize("label", sorted(LISTED))
def test_changelist_add_and_change_pages_answer(
    admin_client_logged_in, label, django_assert_max_num_queries
):
    record = LISTED[label]()
    model = type(record)
    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = admin_client_logged_in.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert "盘山县赋权事项登记系统" in response.content.decode()
    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        response = admin_client_logged_in.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    add = admin_client_logged_in.get(admin_url(model, "add"))
    # Deadline flags are raised by the scan and import records by imports; everything else
    # can be added by a clerk.
    # Evaluations are made by opening a round.
    made_by_the_system = {
        "handover.deadlineflag",
        "devolution.importrecord",
        "evaluation.itemevaluation",
        # Versions are made by publishing an adjustment; the cancelled list grows by a
        # published 取消 (rule 8).
        "items.listversion",
        "items.cancelledapproval",
    }
    assert add.status_code == (403 if label in made_by_the_system else 200)


@pytest.mark.parametrize("label", sorted(LISTED))
def test_changelist_queries_do_not_grow_with_rows(admin_client_logged_in, label):
    model = type(LISTED[label]())
    url = admin_url(model, "changelist")
    admin_client_logged_in.get(url)  # warm caches (content types, permissions)

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client_logged_in.get(url).status_code == 200
        return len(captured)

    one_row = queries_for_page()
    LISTED[label].create_batch(12)
    # Related-only filters add one query per filter, not per row; the count must stay put.
    assert queries_for_page() == one_row


def test_items_and_cancelled_approvals_cannot_be_deleted(admin_client_logged_in):
    for factory in (DevolvedItemFactory, CancelledApprovalFactory):
        record = factory()
        model = type(record)
        response = admin_client_logged_in.get(admin_url(model, "delete", record.pk))
        assert response.status_code == 403
        changelist = admin_client_logged_in.get(admin_url(model, "changelist"))
        assert "delete_selected" not in changelist.content.decode()
        assert model.objects.filter(pk=record.pk).exists()


def test_history_is_shown_for_an_item(admin_client_logged_in):
    item = DevolvedItemFactory()
    item.name = "改名后的事项"
    item.save()
    response = admin_client_logged_in.get(admin_url(type(item), "history", item.pk))
    assert response.status_code == 200
    assert "改名后的事项" in response.content.decode()


def test_item_filters_by_kind_department_type_and_status(admin_client_logged_in):
    licensing = DevolvedItemFactory(power_type="licensing", name="许可事项甲")
    DevolvedItemFactory(power_type="penalty", name="处罚事项乙")
    url = admin_url(type(licensing), "changelist")
    page = admin_client_logged_in.get(url, {"kind": "non_approval"}).content.decode()
    assert "处罚事项乙" in page and "许可事项甲" not in page
    page = admin_client_logged_in.get(
        url, {"county_department__id__exact": licensing.county_department_id}
    ).content.decode()
    assert "许可事项甲" in page and "处罚事项乙" not in page
    page = admin_client_logged_in.get(url, {"status__exact": "not_handed_over", "q": "许可"})
    assert "许可事项甲" in page.content.decode()
