"""No silent lost update: two people open the same record; the second save is refused, naming
who changed which fields since the form was opened; nothing of the first change is lost."""

import datetime

import pytest
from django.contrib.admin.widgets import AdminSplitDateTime
from django.test import Client
from django.urls import reverse

from devolution.edit_conflicts import MARK_FIELD, changes_since, history_mark
from devolution.tests.factories import UserFactory
from handover.tests.factories import HandoverFactory, TrainingPeriodFactory
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db


def form_data(response):
    """What a browser would post back from this admin change page, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(bound.field.widget, AdminSplitDateTime):
                value = bound.field.prepare_value(value)
                data[f"{bound.html_name}_0"], data[f"{bound.html_name}_1"] = (
                    str(value).split(" ") if " " in str(value) else (str(value), "")
                )
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data["_save"] = "保存"
    return data


def clerk(name):
    client = Client()
    client.force_login(UserFactory(username=name, is_staff=True, is_superuser=True))
    return client


CASES = {
    # An item's page edits nothing (rule 8: its fields change by a published adjustment).
    "seal": (
        lambda: SealFactory(),
        "seals_seal",
        # Only the note of a seal is edited in the form; what a seal is never changes.
        ("note", "第一人的备注", "备注"),
        ("note", "第二人的备注"),
    ),
    "handover": (
        lambda: HandoverFactory(),
        "handover_handover",
        ("signed_by", "张三", "签字人"),
        ("note", "第二人的备注"),
    ),
    "training": (
        lambda: TrainingPeriodFactory(starts_on=datetime.date(2016, 10, 10)),
        "handover_trainingperiod",
        ("months", "2", "期限（月）"),
        ("starts_on", "2016-10-11"),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_second_save_is_refused_naming_who_changed_what(case):
    make, admin_name, (first_field, first_value, first_label), second = CASES[case]
    record = make()
    model = type(record)
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])
    first, second_clerk = clerk("wang"), clerk("li")
    page_of_first, page_of_second = first.get(url), second_clerk.get(url)
    assert page_of_first.status_code == page_of_second.status_code == 200
    assert f'name="{MARK_FIELD}"' in page_of_first.content.decode()
    assert first_label == str(model._meta.get_field(first_field).verbose_name)

    saved = first.post(url, {**form_data(page_of_first), first_field: first_value})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    stale = second_clerk.post(url, {**form_data(page_of_second), second[0]: second[1]})

    assert stale.status_code == 200
    errors = " ".join(stale.context["adminform"].form.non_field_errors())
    assert "wang" in errors and f"“{first_label}”" in errors and "重新打开本页" in errors
    assert errors in stale.content.decode()
    record.refresh_from_db()
    assert str(getattr(record, first_field)) == first_value
    assert str(getattr(record, second[0])) != second[1]
    # Reopened, the page carries the new mark and the second change saves.
    reopened = second_clerk.get(url)
    again = second_clerk.post(url, {**form_data(reopened), second[0]: second[1]})
    assert again.status_code == 302
    record.refresh_from_db()
    assert str(getattr(record, second[0])) == second[1]
    if second[0] != first_field:
        assert str(getattr(record, first_field)) == first_value


def test_a_post_without_the_mark_cannot_overwrite_a_change():
    handover = HandoverFactory()
    url = reverse("admin:handover_handover_change", args=[handover.pk])
    client = clerk("zhao")
    data = form_data(client.get(url))
    handover.signed_by = "别人刚签的名"
    handover.save()
    data.pop(MARK_FIELD)
    assert client.post(url, {**data, "note": "x"}).status_code == 200
    handover.refresh_from_db()
    assert handover.signed_by == "别人刚签的名" and handover.note != "x"


def test_an_unchanged_record_saves_and_the_service_says_nothing():
    seal = SealFactory()
    mark = history_mark(seal)
    assert mark and changes_since(seal, mark) is None
    url = reverse("admin:seals_seal_change", args=[seal.pk])
    client = clerk("qian")
    assert client.post(url, {**form_data(client.get(url)), "note": "新备注"}).status_code == 302
    seal.refresh_from_db()
    assert seal.note == "新备注"
    assert "qian" in changes_since(seal, mark)
