"""The training period as the notice sets it (四(四)), its 代办/帮办, and forwarded documents with
their parties (四(二))."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from devolution.models import DepartmentStaff
from devolution.tests.factories import CountyDepartmentFactory, PlanFactory, UserFactory
from handover.models import ForwardedDocument, ProvincialPort, TrainingAssistance, TrainingPeriod
from handover.tests.factories import (
    COMPLETED_ON,
    ForwardedDocumentFactory,
    HandoverFactory,
    of_handover,
)
from items.tests.factories import DevolvedItemFactory, ProvincialSystemFactory
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF

pytestmark = pytest.mark.django_db
D = datetime.date


def completed_handover(**plan):
    return HandoverFactory(plan=PlanFactory(**plan), completed=True)


def completed_handover_with_an_item():
    """A completed handover and one item its city department gave its county department."""
    handover = completed_handover()
    DevolvedItemFactory(**of_handover(handover))
    return handover


def login(client, role, department):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    DepartmentStaff.objects.create(user=user, department=department)
    client.force_login(user)
    return client


def test_recording_a_handover_complete_opens_its_training_period_that_day():
    handover = completed_handover(training_months=2)
    period = TrainingPeriod.objects.get(handover=handover)
    assert (period.starts_on, period.months, period.ends_on) == (COMPLETED_ON, 2, D(2016, 11, 30))
    handover.note = "补充说明"
    handover.save()  # saving again opens no second period
    assert TrainingPeriod.objects.filter(handover=handover).count() == 1


def test_an_incomplete_handover_has_no_training_period():
    handover = HandoverFactory()
    assert not TrainingPeriod.objects.filter(handover=handover).exists()


def test_the_plans_default_length_is_one_to_three_months():
    from django.db import IntegrityError, transaction

    for months in (0, 4):
        with pytest.raises(IntegrityError), transaction.atomic():
            PlanFactory(training_months=months)


def test_a_confirmation_before_the_start_is_refused():
    period = TrainingPeriod.objects.get(handover=completed_handover())
    period.confirmed_on, period.confirmed_by = COMPLETED_ON - datetime.timedelta(days=1), "王五"
    with pytest.raises(ValidationError, match="不能早于培训指导期开始日期"):
        period.full_clean()


def test_the_city_department_sets_the_length_and_the_county_staff_cannot(client):
    handover = completed_handover()
    period = TrainingPeriod.objects.get(handover=handover)
    url = reverse("admin:handover_trainingperiod_change", args=[period.pk])
    county_page = login(client, DEPARTMENT_STAFF, handover.county_department).get(url)
    assert county_page.status_code == 200
    assert 'name="months"' not in county_page.content.decode()
    assert 'name="confirmed_on"' in county_page.content.decode()
    city_page = login(client, CITY_STAFF, handover.city_department).get(url)
    assert 'name="months"' in city_page.content.decode()
    # 接得住 is the county's to confirm: the city cannot declare it for them.
    assert 'name="confirmed_on"' not in city_page.content.decode()


def test_a_city_department_records_the_documents_it_forwards_as_its_own(client):
    handover = completed_handover()
    city = handover.city_department
    page = login(client, CITY_STAFF, city).post(
        reverse("admin:handover_forwardeddocument_add"),
        {
            "reference": "辽政发〔2016〕9号",
            "title": "关于做好简政放权的通知",
            "forwarded_by": "",
            "responsible_department": handover.county_department.pk,
            "passed_on": "2016-10-12",
        },
    )
    # Left blank (the city government office), the record would leave the clerk's own reach.
    assert page.status_code == 200 and "这个字段是必填项" in page.content.decode()
    assert not ForwardedDocument.objects.exists()


def assistance(period, item, **dates):
    return TrainingAssistance(
        period=period,
        item=item,
        mode=TrainingAssistance.Mode.ACTING,
        starts_on=dates.get("starts_on", D(2016, 10, 10)),
        ends_on=dates.get("ends_on"),
    )


def test_acting_or_assisting_only_for_items_of_that_handover_inside_the_period():
    handover = completed_handover()
    period = TrainingPeriod.objects.get(handover=handover)
    own = DevolvedItemFactory(**of_handover(handover))
    foreign = DevolvedItemFactory(plan=handover.plan)
    with pytest.raises(ValidationError, match="不属于本次交接"):
        assistance(period, foreign).full_clean()
    with pytest.raises(ValidationError, match="须在培训指导期内"):
        assistance(period, own, starts_on=D(2016, 9, 29)).full_clean()
    with pytest.raises(ValidationError, match="须在培训指导期内"):
        assistance(period, own, ends_on=period.ends_on + datetime.timedelta(days=1)).full_clean()
    record = assistance(period, own, ends_on=D(2016, 10, 20))
    record.full_clean()
    record.save()
    record.mode = TrainingAssistance.Mode.ASSISTING
    record.save()
    assert record.history.count() == 2


def test_a_classified_documents_title_is_shown_to_no_one_else():
    document = ForwardedDocumentFactory(title="关于某某事项的机密通知", classified=True)
    assert "机密" not in str(document) and document.reference in str(document)


def test_feedback_is_recorded_with_its_content_and_recipient():
    document = ForwardedDocumentFactory()
    document.feedback_sent_on = D(2016, 11, 1)
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert {"feedback_content", "feedback_to"} <= set(refused.value.error_dict)
    document.feedback_content = "已组织学习并落实。"
    document.feedback_to = "市政府办公室、市民政局"
    document.full_clean()
    document.save()
    assert document.history.count() == 2


def test_a_completion_imported_in_bulk_opens_the_training_period_too(
    registry, django_capture_on_commit_callbacks
):
    from devolution.exchange.engine import confirm_import, start_import
    from devolution.models import Plan
    from devolution.tests.factories import UserFactory
    from devolution.tests.sheets import xlsx_bytes
    from handover.models import Handover

    handover = Handover.objects.select_related("city_department", "county_department").first()
    rows = [
        ["市直部门", "县承接部门", "完成日期", "签字人", "备注"],
        [
            handover.city_department.short_name,
            handover.county_department.short_name,
            "2016-09-30",
            "县编委办 赵六",
            "",
        ],
    ]
    user = UserFactory(is_superuser=True)
    record, result = start_import(
        xlsx_bytes(rows),
        "交接.xlsx",
        "handovers",
        user=user,
        plan_doc_number=Plan.objects.get().doc_number,
    )
    assert result.ok, result.errors
    with django_capture_on_commit_callbacks(execute=True):
        confirm_import(record, user)
    period = TrainingPeriod.objects.get(handover=handover)
    assert period.starts_on == COMPLETED_ON


def test_a_city_department_arranges_ports_only_for_the_county_departments_it_gave_items(client):
    handover = completed_handover_with_an_item()
    stranger = CountyDepartmentFactory()
    system = ProvincialSystemFactory()
    city_client = login(client, CITY_STAFF, handover.city_department)

    def post(county):
        return city_client.post(
            reverse("admin:handover_provincialport_add"),
            {
                "county_department": county.pk,
                "city_department": handover.city_department.pk,
                "system": system.pk,
                "requested_on": "2016-10-12",
            },
        )

    assert post(stranger).status_code == 200  # the form again, with the refusal
    assert not ProvincialPort.objects.exists()
    assert post(handover.county_department).status_code == 302
    assert ProvincialPort.objects.get().county_department == handover.county_department


def test_a_port_is_arranged_only_by_a_city_department_that_gave_the_county_items():
    """The rule holds on the model, for the reform office and every door, not only in the
    city clerk's picker."""
    handover = completed_handover_with_an_item()
    system = ProvincialSystemFactory()
    stranger = CountyDepartmentFactory()
    port = ProvincialPort(
        county_department=stranger, city_department=handover.city_department, system=system
    )
    with pytest.raises(ValidationError) as refused:
        port.full_clean()
    assert "未向" in refused.value.message_dict["county_department"][0]
    port.county_department = handover.county_department
    port.full_clean()
