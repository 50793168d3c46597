"""Accessibility in a real browser: axe-core on every public page and the main admin pages (no
serious or critical violation), the public search and filters by keyboard alone, and the phone
layout (results first, the filters folded). Screenshots for the README."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from devolution.models import Department
from devolution.tests.axe import install_axe, serious_violations
from devolution.tests.browser import screenshot
from items import adjustments
from items.models import CancelledApproval, DevolvedItem
from seals.models import Seal
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db(transaction=True)


def report(found):
    return "\n".join(f"{path}: {line}" for path, lines in found.items() for line in lines)


def closed_round(office):
    from evaluation.models import EvaluationRound
    from evaluation.services import close_round, open_round, recommend_keep

    evaluation_round = open_round(
        "2017年度赋权事项评估",
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
        office,
        datetime.date(2018, 1, 5),
    )
    recommend_keep(evaluation_round.evaluations.all(), office)
    close_round(evaluation_round, office, datetime.date(2018, 1, 10))
    return EvaluationRound.objects.get(pk=evaluation_round.pk)


def public_paths(office):
    adjustments.ensure_first_version()  # the live server's database was flushed
    item = DevolvedItem.objects.order_by("id").first()
    cancelled = CancelledApproval.objects.order_by("id").first()
    department = Department.objects.filter(level=Department.Level.COUNTY).order_by("id").first()
    evaluation_round = closed_round(office)
    return [
        "/",
        "/plan/",
        "/items/",
        "/items/?q=食品&kind=approval",
        f"/items/{item.pk}/",
        "/cancelled/",
        f"/cancelled/{cancelled.pk}/",
        f"/departments/{department.pk}/",
        "/evaluations/",
        f"/evaluations/{evaluation_round.pk}/",
        "/changes/",
        "/versions/1/",
    ]


def test_public_pages_have_no_serious_axe_violations(page, site, django_user_model):
    office = django_user_model.objects.create_user("office-a11y", password="x-long-pass")
    office.groups.add(Group.objects.get(name=REFORM_OFFICE))
    install_axe(page)
    found = {}
    for path in public_paths(office):
        page.goto(site + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert not found, report(found)


def test_admin_pages_have_no_serious_axe_violations(page, site, django_user_model):
    django_user_model.objects.create_superuser("clerk-a11y", password="panshan-clerk-2016")
    install_axe(page)
    found = {}
    page.goto(site + "/admin/login/")
    found["/admin/login/"] = serious_violations(page)
    page.get_by_label("用户名").fill("clerk-a11y")
    page.get_by_label("密码").fill("panshan-clerk-2016")
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#site-name")
    item = DevolvedItem.objects.order_by("id").first()
    seal = Seal.objects.order_by("id").first()
    for path in [
        "/admin/",
        "/admin/items/devolveditem/",
        f"/admin/items/devolveditem/{item.pk}/change/",
        "/admin/seals/seal/",
        f"/admin/seals/seal/{seal.pk}/change/",
        "/admin/handover/handover/",
        "/admin/handover/deadlineflag/overdue/",
    ]:
        response = page.goto(site + path)
        assert response.ok, path
        # Django starts the autocomplete pickers in a jQuery ready handler, after "load".
        page.wait_for_function(
            "() => !document.querySelector("
            "'select.admin-autocomplete:not(.select2-hidden-accessible)')"
            " && !document.querySelector('.select2 [role=combobox]:not([data-named])')"
        )
        found[path] = serious_violations(page)
    found = {path: v for path, v in found.items() if v}
    assert not found, report(found)


def tab_to(page, selector, limit=40):
    """Press Tab until `selector` has the focus (at most `limit` times)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page):
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )


def test_search_and_filters_by_keyboard_alone(page, site):
    item = DevolvedItem.objects.select_related("county_department").order_by("id")[5]
    page.goto(site + "/items/")
    tab_to(page, "#filter-q")
    assert focus_is_visible(page)
    page.keyboard.type(item.name)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=item.name).first).to_be_visible()
    expect(page.locator("[role=status]")).to_contain_text("符合条件")

    # The filters: a select is changed with the arrow keys, the form sent from its button.
    page.goto(site + "/items/")
    tab_to(page, "#filter-power_type")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#filter-power_type", "s => s.value")
    assert chosen
    tab_to(page, ".filter-actions button")
    assert focus_is_visible(page)
    screenshot(page, "public-items-keyboard.png", full_page=False)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**power_type={chosen}**")
    expected = DevolvedItem.objects.filter(power_type=chosen).count()
    expect(page.locator("[role=status]")).to_contain_text(f"共 {expected} 项")


def phone_layout(page, site, path):
    """The list at `path` on a 390 px phone: the results first, the folded filters after them."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + path)
    panel = page.locator("details.filter-panel")
    results = page.locator("section.results")
    expect(panel).not_to_have_attribute("open", "")
    expect(panel.locator("form")).to_be_hidden()
    assert results.bounding_box()["y"] < panel.bounding_box()["y"]
    # A new keyword is typed above the results, not after them.
    quick = page.locator("form.quick-search")
    assert quick.bounding_box()["y"] < results.bounding_box()["y"]
    return panel


def test_phone_shows_the_cancelled_results_first_and_the_search_folded(page, site):
    phone_layout(page, site, "/cancelled/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_phone_shows_the_results_first_and_the_filters_folded(page, site):
    panel = phone_layout(page, site, "/items/")
    expect(page.locator("#filter-department")).to_be_hidden()
    # In the document too: the keyboard reaches the results before the filters.
    assert page.evaluate(
        "() => !!(document.querySelector('section.results').compareDocumentPosition("
        "document.querySelector('details.filter-panel')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, "public-items-phone-results-first.png", full_page=False)
    tab_to(page, "details.filter-panel > summary", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("#filter-department")).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(page, "public-items-phone-filters.png", full_page=False)


def test_phone_keyword_box_keeps_the_other_filters(page, site):
    power_type = DevolvedItem.objects.values_list("power_type", flat=True).first()
    phone_layout(page, site, f"/items/?power_type={power_type}")
    page.locator("#quick-q").fill("许可")
    page.locator("#quick-q").press("Enter")
    page.wait_for_url("**q=**")
    expected = DevolvedItem.objects.filter(power_type=power_type, name__contains="许可")
    assert f"power_type={power_type}" in page.url
    expect(page.locator("[role=status]")).to_contain_text("符合条件")
    assert page.locator("#quick-q").input_value() == "许可"
    assert expected.exists()
