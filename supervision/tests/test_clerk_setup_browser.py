"""Issue 15 item 9 in a real browser: the reform office sets up a county clerk on one screen
(login, role, department, password) and the clerk logs in and works. Screenshot for the README."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from devolution.tests.browser import log_in, screenshot
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "panshan-bwb-2016"
CLERK_PASSWORD = "panshan-rsj-2016"


def first_group(page):
    return page.locator("#id_department optgroup").first.get_attribute("label")


def test_the_reform_office_sets_up_a_clerk_on_one_screen(page, site, django_user_model):
    office = django_user_model.objects.create_user("bwb", password=PASSWORD, is_staff=True)
    office.groups.add(Group.objects.get(name=REFORM_OFFICE))
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site, "bwb", PASSWORD)

    page.get_by_role("link", name="开通账号（账号、角色、部门一步完成）").click()
    expect(page.locator("h1")).to_have_text("开通账号")
    assert first_group(page) == "县承接部门"
    page.get_by_label("市直部门工作人员（市直赋权部门）").check()
    assert first_group(page) == "市直部门"  # the picker follows the role
    page.get_by_label("部门工作人员（县承接部门）").check()
    assert first_group(page) == "县承接部门"
    page.get_by_label("所属部门").select_option(label="县人社局（盘山县人力资源和社会保障局）")
    page.get_by_label("用户名").fill("rsj-zhang")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("初始密码").fill(CLERK_PASSWORD)
    page.get_by_label("再次输入密码").fill(CLERK_PASSWORD)
    screenshot(page, "admin-clerk-setup.png", full_page=False)
    page.get_by_role("button", name="开通账号").click()
    expect(page.locator(".messagelist")).to_contain_text("已开通账号“rsj-zhang”")
    expect(page.locator("#result_list")).to_contain_text("县人社局")

    # The clerk logs in at once and reaches their department's items, no other step needed.
    log_in(page, site, "rsj-zhang", CLERK_PASSWORD)
    page.goto(site + "/admin/items/devolveditem/")
    expect(page.locator("#result_list tbody tr").first).to_contain_text("县人社局")


def test_a_county_wide_role_hides_the_department_picker(page, site, django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    log_in(page, site, "root", PASSWORD)
    page.goto(site + "/admin/devolution/departmentstaff/new-login/")
    picker = page.get_by_label("所属部门")
    expect(picker).to_be_visible()
    page.get_by_label("监察督查（全县只读；登记问责）").check()
    expect(picker).to_be_hidden()
    page.get_by_label("用户名").fill("jc-li")
    page.get_by_label("初始密码").fill(CLERK_PASSWORD)
    page.get_by_label("再次输入密码").fill(CLERK_PASSWORD)
    page.get_by_role("button", name="开通账号").click()
    expect(page.locator(".messagelist")).to_contain_text("监察督查，覆盖全县各部门")
    page.goto(site + "/admin/devolution/departmentstaff/new-login/")
    page.get_by_label("市直部门工作人员（市直赋权部门）").check()
    expect(picker).to_be_visible()
