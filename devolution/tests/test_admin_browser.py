"""The admin in a real browser: a clerk logs in, filters the items and opens the progress
dashboard; the Content Security Policy must not break any of it. Screenshots for the README."""

import re

import pytest
from playwright.sync_api import expect

from devolution.tests.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(page, site, django_user_model):
    django_user_model.objects.create_superuser("clerk", password="panshan-clerk-2016")
    page.set_viewport_size({"width": 1680, "height": 1000})
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(site + "/admin/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("panshan-clerk-2016")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#site-name")).to_have_text("盘山县赋权事项登记系统")
    yield page
    assert blocked == [], blocked


def test_clerk_filters_items_in_the_admin(admin_page, site):
    admin_page.goto(site + "/admin/items/devolveditem/")
    expect(admin_page.locator("#result_list tbody tr")).to_have_count(50)
    admin_page.get_by_role("link", name="非审批类").click()
    expect(admin_page).to_have_url(re.compile(r"kind=non_approval"))
    expect(admin_page.locator("#result_list")).not_to_contain_text("行政许可")
    admin_page.goto(site + "/admin/items/devolveditem/?q=食品")
    expect(admin_page.locator("#result_list")).to_contain_text("食品")
    screenshot(admin_page, "admin-items.png", full_page=False)


def test_the_export_link_downloads_the_list_as_searched(admin_page, site, tmp_path):
    """Issue 15 item 11 in the browser: the clerk searches, clicks 导出 .xlsx and gets exactly
    the rows shown, with the header frozen and each illustrative row marked."""
    import openpyxl

    admin_page.goto(site + "/admin/items/devolveditem/?q=食品")
    shown = admin_page.locator("#result_list tbody tr").count()
    assert 0 < shown < 50
    screenshot(admin_page, "admin-items-export.png", full_page=False)
    with admin_page.expect_download() as download_info:
        admin_page.get_by_role("link", name="导出 .xlsx").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == shown
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert "示例数据" in header
    marks = {row[header.index("示例数据")] for row in rows}
    assert marks == {"示例数据"}, marks  # the seeded registry is the illustrative one


def test_reform_office_opens_the_progress_dashboard(admin_page, site):
    screenshot(admin_page, "admin-index.png", full_page=False)
    admin_page.get_by_role("link", name="赋权工作进度（各承接部门）").click()
    expect(admin_page.locator("#progress caption")).to_have_text("各承接部门赋权工作进度")
    expect(admin_page.locator("#progress tbody tr")).to_have_count(29)
    expect(admin_page.locator("#progress tfoot")).to_contain_text("308")
    screenshot(admin_page, "admin-progress.png", full_page=False)


def test_overdue_page_after_a_scan(admin_page, site):
    from django.core.management import call_command

    call_command("flag_deadlines", today="2016-10-09", verbosity=0)
    admin_page.get_by_role("link", name="逾期一览").click()
    expect(admin_page.locator("#content")).to_contain_text("县人社局")
    screenshot(admin_page, "admin-overdue.png", full_page=False)


def test_the_group_form_and_login_records_read_chinese_in_the_browser(admin_page, site):
    """Issue 15 item 8: what the browser shows, the JavaScript two-box picker's words included."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="部门工作人员")
    admin_page.goto(site + f"/admin/auth/group/{group.pk}/change/")
    expect(admin_page.locator("#id_permissions_from")).to_be_visible()  # the picker is drawn
    expect(admin_page.locator("#id_permissions_to")).to_contain_text("可以修改赋权事项")
    screenshot(admin_page, "admin-group-permissions.png", full_page=False)
    # The interface's words: the whole group form; the login records' headings, filters and
    # actions (their rows hold browsers' own identification strings).
    shown = [(f"/admin/auth/group/{group.pk}/change/", "#content")]
    shown += [("/admin/axes/accesslog/", s) for s in ("h1", "thead", "#changelist-filter")]
    shown += [("/admin/axes/accessattempt/", s) for s in ("h1", "thead", "#changelist-filter")]
    shown += [("/admin/", "#content"), ("/admin/", "#nav-sidebar")]
    english = []
    for url, selector in shown:
        admin_page.goto(site + url)
        text = " ".join(admin_page.locator(selector).all_inner_texts())
        # Excel is a program's name, Ctrl the key's label; the path filter lists /admin/login/.
        data = ("Excel", "Ctrl", "admin", "login")
        english += [(url, w) for w in re.findall(r"[A-Za-z]{3,}", text) if w not in data]
    assert english == [], english
