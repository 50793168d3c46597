"""The adjustment workflow in a real browser, as a county office does it: one clerk proposes a
change on the item's page and submits it; another approves and publishes it under its 文号;
the public change log then shows it. Screenshots for the README."""

import pytest
from playwright.sync_api import expect

from devolution.tests.browser import log_in, screenshot
from items.models import DevolvedItem

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "panshan-office-2016"


def take_step(page, action, **fields):
    page.get_by_role("link", name="提交、审核、公布……").click()
    page.get_by_label("办理").select_option(label=action)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="确认办理").click()


def fits_1366(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator("textarea[name$='-values']").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    cells = page.locator("#result_list td, #result_list th")
    clipped = (
        page.evaluate(
            "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1"
            " && !c.querySelector('.truncate')).length",
            cells.element_handles(),
        )
        if cells.count()
        else 0
    )
    assert clipped == 0, clipped
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_a_proposal_is_drafted_reviewed_by_another_and_published(page, site, django_user_model):
    for username in ("drafter", "reviewer"):
        django_user_model.objects.create_superuser(username, password=PASSWORD)
    item = DevolvedItem.objects.current().order_by("pk").first()
    old_name = item.name
    page.set_viewport_size({"width": 1400, "height": 1000})
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    # The drafter: the item's page edits nothing; 提出调整 opens the proposal.
    log_in(page, site, "drafter", PASSWORD)
    page.goto(f"{site}/admin/items/devolveditem/{item.pk}/change/")
    expect(page.locator('input[name="name"]')).to_have_count(0)
    page.get_by_role("link", name="提出调整").click()
    page.get_by_label("事项名称").fill(f"{old_name}（规范名称）")
    page.get_by_label("调整事由").fill("规范事项名称")
    page.get_by_label("理由").fill("与省级目录名称一致")
    screenshot(page, "admin-propose.png")
    page.get_by_role("button", name="加入调整草稿").click()
    expect(page.locator("#content")).to_contain_text(
        f"事项名称：{old_name} → {old_name}（规范名称）"
    )
    # The draft's page tells the change field by field, no raw values, and fits a 1366 px
    # laptop screen; so does the adjustments list, 起草时间 whole.
    fits_1366(page)
    page.goto(site + "/admin/items/adjustment/")
    fits_1366(page)
    expect(page.locator("td.field-created_at_column").first).to_be_visible()
    page.go_back()
    take_step(page, "提交审核")
    expect(page.locator(".field-status")).to_contain_text("待审核")
    assert DevolvedItem.objects.get(pk=item.pk).name == old_name  # nothing public yet

    # The reviewer, another person: approves, then publishes under the document number.
    log_in(page, site, "reviewer", PASSWORD)
    page.goto(site + "/admin/items/adjustment/")
    page.get_by_role("link", name="规范事项名称").click()
    take_step(page, "审核通过", 意见="同意")
    page.get_by_role("link", name="提交、审核、公布……").click()
    page.get_by_label("办理").select_option(label="公布")
    page.get_by_label("文号").fill("盘县编办发〔2019〕1号")
    page.get_by_label("生效日期").fill("2019-01-01")
    expect(page.locator("#content table")).to_contain_text(f"事项名称：{old_name} →")
    screenshot(page, "admin-adjustment-publish.png", full_page=False)
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messagelist")).to_contain_text("已公布为版本2")

    page.goto(site + "/changes/")
    expect(page.locator("main")).to_contain_text("盘县编办发〔2019〕1号")
    expect(page.locator("main")).to_contain_text(f"{old_name}（规范名称）")
    assert DevolvedItem.objects.get(pk=item.pk).name == f"{old_name}（规范名称）"
    assert blocked == [], blocked
