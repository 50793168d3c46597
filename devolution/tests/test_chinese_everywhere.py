"""Issue 15 item 8: every word a user can meet is Chinese, third-party screens included."""

import json
import re
from html.parser import HTMLParser

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
    # A clerk who has a department is not told to ask for one.
    assert "所属部门" not in page and "调整您账号的角色" in page


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


# Third-party screens: django-axes, the user and group forms, the JavaScript picker, the 403s.


class VisibleText(HTMLParser):
    """The words a reader meets on a page: its text outside scripts and styles, and the
    attributes shown or read aloud (alt, title, placeholder, aria-label, a button's value)."""

    SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.hidden += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(page, allowed=()):
    parser = VisibleText()
    parser.feed(page)
    words = set(re.findall(r"[A-Za-z][A-Za-z’']{2,}", " ".join(parser.parts)))
    # Excel is a program's name, Ctrl the key's label.
    return sorted(words - {"Excel", "Ctrl", *allowed})


@pytest.fixture
def axes_records():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"ip_address": "10.0.0.8", "user_agent": "浏览器", "path_info": "/admin/login/"}
    seen["http_accept"] = "text/html"
    attempt = AccessAttempt.objects.create(
        username="科员", get_data="", post_data="", failures_since_start=3, **seen
    )
    log = AccessLog.objects.create(username="科员", **seen)
    failure = AccessFailureLog.objects.create(username="科员", locked_out=True, **seen)
    return attempt, log, failure


@pytest.fixture
def chinese_admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("管理员", password="x-very-long-pass")
    client.force_login(user)
    return client


# What the pages hold as data, not as words of the interface.
# (django-axes stores "<unknown>" for a header the test client does not send.)
DATA_WORDS = {"text", "html", "admin", "login", "unknown"}


@pytest.mark.django_db
def test_the_login_security_screens_are_chinese(chinese_admin, axes_records):
    attempt, log, failure = axes_records
    pages = ["/admin/", "/admin/axes/"]
    for model, record in [("accessattempt", attempt), ("accesslog", log)]:
        pages += [f"/admin/axes/{model}/", f"/admin/axes/{model}/{record.pk}/change/"]
    pages += ["/admin/axes/accessfailurelog/", f"/admin/axes/accessfailurelog/{failure.pk}/change/"]
    for url in pages:
        response = chinese_admin.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode(), DATA_WORDS) == [], url
    listing = chinese_admin.get("/admin/axes/accessattempt/").content.decode()
    assert "登录尝试" in listing and "还可尝试 2 次" in listing
    assert "清除已失效的登录尝试" in listing
    assert "登录安全" in chinese_admin.get("/admin/").content.decode()


@pytest.mark.django_db
def test_clearing_expired_attempts_reports_in_chinese(chinese_admin, axes_records):
    response = chinese_admin.post(
        "/admin/axes/accessattempt/",
        {"action": "clean_up_expired", "_selected_action": [axes_records[0].pk]},
        follow=True,
    )
    assert "已清除 " in response.content.decode()
    assert english_words(response.content.decode(), DATA_WORDS) == []


@pytest.mark.django_db
def test_the_user_and_group_forms_are_chinese(chinese_admin, django_user_model):
    from django.contrib.auth.models import Group

    # No usable password: the change form would show the start of its random hash, whose
    # letters (afbee…) are data, not interface words, and made this test fail now and then.
    clerk = django_user_model.objects.create_user("科员", password=None)
    group = Group.objects.get(name="部门工作人员")
    for url in [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{clerk.pk}/change/",
        f"/admin/auth/user/{clerk.pk}/password/",
        "/admin/auth/group/add/",
        f"/admin/auth/group/{group.pk}/change/",
    ]:
        response = chinese_admin.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode()) == [], url
    page = chinese_admin.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    assert "管理 | 日志记录 | 可以增加日志记录" in page
    assert "赋权事项 | 赋权事项 | 可以修改赋权事项" in page
    assert "Can add" not in page and "Can change" not in page


def test_a_permission_of_our_own_keeps_its_chinese_name():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from devolution.admin_chinese import permission_label
    from devolution.models import ImportRecord

    content_type = ContentType(app_label="devolution", model="importrecord")
    own = Permission(codename="import_registry", name="可以从 Excel 导入登记数据")
    own.content_type = content_type
    assert permission_label(own).endswith(" | 可以从 Excel 导入登记数据")
    default = Permission(codename="view_importrecord", name="Can view 导入记录")
    default.content_type = content_type
    assert permission_label(default).endswith(f" | 可以查看{ImportRecord._meta.verbose_name}")


@pytest.mark.django_db
def test_the_two_box_picker_speaks_chinese(chinese_admin):
    catalog = chinese_admin.get("/admin/jsi18n/").content.decode()
    for english in [
        'Choose %s by selecting them and then select the \\"Choose\\" arrow button.',
        'Remove %s by selecting them and then select the \\"Remove\\" arrow button.',
        "Choose all %s",
        "Remove all %s",
    ]:
        assert f'"{english}": "' in catalog, english
    assert json.dumps("在左框中选中要添加的%s")[:-1] in catalog


@pytest.mark.django_db
def test_a_staff_login_tied_to_no_department_is_told_what_is_missing(client, django_user_model):
    from django.contrib.auth.models import Group

    clerk = django_user_model.objects.create_user(
        "科员", password="x-very-long-pass", is_staff=True
    )
    clerk.groups.add(Group.objects.get(name="部门工作人员"))
    client.force_login(clerk)
    response = client.get("/admin/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="zh-hans">' in page
    assert "尚未关联所属部门" in page and "县编委办" in page
    assert 'action="/admin/logout/"' in page and "退出登录" in page
    assert english_words(page) == []


@pytest.mark.django_db
def test_a_refused_form_explains_itself_in_chinese_with_a_way_back(django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "科员", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="zh-hans">' in page
    assert "表单未能提交" in page and 'href="/admin/login/"' in page
    assert english_words(page) == []


def test_the_admin_icons_say_yes_and_no_in_chinese():
    from django.contrib.admin.utils import display_for_value

    assert 'alt="是"' in display_for_value(True, "", boolean=True)
    assert 'alt="否"' in display_for_value(False, "", boolean=True)


def test_every_committed_catalog_is_compiled_from_its_po():
    from django.conf import settings

    from devolution.locale_files import compiled, po_files

    files = list(po_files())
    assert {path.name for path in files} == {"django.po", "djangojs.po"}
    for po_path in files:
        assert po_path.with_suffix(".mo").read_bytes() == compiled(po_path), (
            f"{po_path} changed: run manage.py compile_translations"
        )
    assert settings.LOCALE_PATHS


def test_the_python_compiler_reads_as_gnu_msgfmt_writes():
    """Django's own Chinese admin catalogs: our compile of the .po reads back as the .mo
    Django ships (compiled by GNU msgfmt), header aside."""
    import gettext
    import io
    from pathlib import Path

    import django

    from devolution.locale_files import compiled

    locale = Path(django.__file__).parent / "contrib/admin/locale/zh_Hans/LC_MESSAGES"
    for domain in ("django", "djangojs"):
        ours = gettext.GNUTranslations(io.BytesIO(compiled(locale / f"{domain}.po")))
        theirs = gettext.GNUTranslations((locale / f"{domain}.mo").open("rb"))
        ours._catalog.pop("", None), theirs._catalog.pop("", None)
        assert ours._catalog == theirs._catalog


@pytest.mark.django_db
def test_the_admin_greets_in_chinese_to_the_last_stop(admin_client_logged_in, django_user_model):
    name = django_user_model.objects.get().get_username()
    page = admin_client_logged_in.get("/admin/").content.decode()
    assert re.search(rf"欢迎，<strong>{re.escape(name)}</strong>。", page)
    assert f"<strong>{name}</strong>." not in page
