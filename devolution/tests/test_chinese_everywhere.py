"""Issue 15 item 8: every word a user can meet is Chinese, third-party screens included."""

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint

from handover.tests.factories import TrainingPeriodFactory

PROJECT_APPS = ["devolution", "items", "seals", "handover", "supervision", "evaluation"]
HAN = re.compile(r"[\u4e00-\u9fff]")


def project_constraints():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_has_a_chinese_message_of_its_own():
    default = BaseConstraint.default_violation_error_message
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for model, constraint in project_constraints()
        if constraint.violation_error_message == default
        or not HAN.search(str(constraint.violation_error_message))
        or constraint.name in str(constraint.violation_error_message)
    ]
    assert list(project_constraints())
    assert missing == []


@pytest.mark.django_db
def test_a_broken_constraint_is_reported_in_words_not_by_its_name():
    period = TrainingPeriodFactory()
    period.months = 5
    with pytest.raises(ValidationError) as raised:
        period.validate_constraints()
    messages = raised.value.messages
    assert messages == ["培训指导期须为 1—3 个月。"]
    assert "training_months_between_1_and_3" not in " ".join(messages)


@pytest.mark.django_db
def test_the_403_page_is_chinese_with_a_way_back_and_out(client, django_user_model):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    user = django_user_model.objects.create_user("clerk", password="x-very-long-pass")
    request = RequestFactory().get("/admin/secret/")
    request.user = user
    response = permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="zh-hans">' in page
    assert "无权访问" in page and "Forbidden" not in page
    assert 'href="/"' in page and "/admin/logout/" in page


@pytest.mark.django_db
def test_the_lockout_page_is_headed_in_chinese(client, settings):
    from django.urls import reverse

    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "clerk", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂时锁定" in page
    assert "盘山县赋权事项登记系统" in page and "Django" not in page


@pytest.mark.django_db
def test_the_import_list_names_the_kind_in_chinese(admin_client_logged_in, django_user_model):
    from devolution.models import ImportRecord

    ImportRecord.objects.create(
        table="items", file_name="附件.xlsx", user=django_user_model.objects.get()
    )
    page = admin_client_logged_in.get("/admin/devolution/importrecord/").content.decode()
    assert re.search(r'class="field-table_label">赋权事项<', page)
    assert ">items<" not in page


@pytest.mark.django_db
def test_the_flag_list_heads_its_columns_in_chinese(admin_client_logged_in):
    from handover.tests.factories import DeadlineFlagFactory

    DeadlineFlagFactory()
    page = admin_client_logged_in.get("/admin/handover/deadlineflag/").content.decode()
    assert "记录类别" in page
    assert "content type" not in page.lower()
