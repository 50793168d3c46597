"""The public site in a real browser: Debian's Chromium driven by Playwright against a live
server holding the registry fixtures. Screenshots of / and /items/ go to test-artifacts/."""

import datetime
from urllib.parse import urlencode

import openpyxl
import pytest
from playwright.sync_api import expect

from devolution.tests.browser import screenshot
from items.models import DevolvedItem

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_shows_the_counts_and_charts(page, site):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("盘山县承接市级行政管理权限")
    figures = page.locator(".figures")
    expect(figures).to_contain_text("49项取消的行政审批事项")
    expect(figures).to_contain_text("308项赋权事项")
    assert page.locator("figure.chart svg rect").count() >= 10 + 29  # power types, departments
    expect(page.locator(".notice")).to_contain_text("示例数据")
    path = screenshot(page, "public-home.png")
    assert path.stat().st_size > 10_000


def test_search_filter_detail_and_download(page, site, tmp_path):
    item = DevolvedItem.objects.select_related("county_department").order_by("id")[5]
    department = item.county_department

    page.goto(site + "/")
    page.get_by_label("事项名称、编码或依据").fill(item.name)
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(f"{site}/items/?{urlencode({'q': item.name})}")
    expect(page.get_by_role("link", name=item.name).first).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("示例数据")

    page.goto(site + "/items/")
    path = screenshot(page, "public-items.png")
    assert path.stat().st_size > 10_000
    page.get_by_label("承接部门").select_option(str(department.pk))
    page.get_by_label("权力类型").select_option(item.power_type)
    page.get_by_role("button", name="检索").click()
    expect(page).to_have_url(
        f"{site}/items/?q=&department={department.pk}&power_type={item.power_type}&kind=&status="
        "&as_of="
    )
    expected = DevolvedItem.objects.filter(
        county_department=department, power_type=item.power_type
    ).count()
    expect(page.locator("[role=status]")).to_contain_text(f"共 {expected} 项")
    assert page.locator("table.records tbody tr").count() == min(expected, 20)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "事项名称"
    assert len(rows) - 1 == expected
    assert {row[6] for row in rows[1:]} == {department.short_name}

    page.get_by_role("link", name=item.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(item.name)
    expect(page.locator(".answer")).to_contain_text(department.full_name)
    expect(page.locator(".answer")).to_contain_text("暂按原程序办理")
    screenshot(page, "public-item.png")


def test_keyboard_user_can_skip_to_the_content(page, site):
    page.goto(site + "/items/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_phone_width_has_no_horizontal_scroll(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/", "/items/", "/plan/"):
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    page.goto(site + "/items/")
    screenshot(page, "public-items-phone.png", full_page=False)


def test_the_change_log_a_diff_and_an_items_history(page, site, django_user_model):
    from items import adjustments
    from items.models import ChangeKind

    adjustments.ensure_first_version()  # the live server's database was flushed
    author = django_user_model.objects.create_superuser("log-author", password="x-long-pass")
    reviewer = django_user_model.objects.create_superuser("log-reviewer", password="x-long-pass")
    withdrawn, renamed = DevolvedItem.objects.order_by("id")[:2]
    adjustment = adjustments.draft("2018年度赋权事项动态调整", author)
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=withdrawn, note="县承接不了")
    adjustments.add_change(
        adjustment, ChangeKind.CHANGE, item=renamed, values={"name": renamed.name + "（调整后）"}
    )
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer, "同意")
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", datetime.date(2019, 1, 1))

    page.goto(site + "/")
    page.get_by_role("link", name="变更记录").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("清单变更记录")
    version = page.locator("section.version").first
    expect(version).to_contain_text("盘县编办发〔2019〕1号")
    expect(version).to_contain_text("收回（1项）")
    page.get_by_label("从版本").select_option("1")
    page.get_by_label("到版本").select_option("2")
    page.get_by_role("button", name="比较").click()
    diff = page.locator("section.diff")
    expect(diff).to_contain_text(withdrawn.name)
    expect(diff).to_contain_text(f"{renamed.name} → {renamed.name}（调整后）")
    screenshot(page, "public-changes.png")

    diff.get_by_role("link", name=renamed.name + "（调整后）").click()
    history = page.locator("ol.history")
    expect(history).to_contain_text("版本1")
    expect(history).to_contain_text("2016年9月9日")
    expect(history).to_contain_text("版本2")
    expect(history).to_contain_text("变更")
    screenshot(page, "public-item-history.png")

    page.goto(site + "/items/?as_of=2018-06-01&q=" + withdrawn.name)
    expect(page.get_by_role("note").filter(has_text="历史清单")).to_contain_text("版本1")
    expect(page.get_by_role("link", name=withdrawn.name).first).to_be_visible()
