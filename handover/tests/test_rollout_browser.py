"""One item's whole rollout in a real browser (Chromium), by the two sides the notice names: the
city department's clerk engraves and delivers the seal, records the handover and sets the
training period; the county department's clerk distributes and enables the seal, stamps the
item and confirms the county can exercise it alone. Screenshots for the README."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from devolution.models import DepartmentStaff
from devolution.tests.browser import log_in, screenshot
from handover.models import Handover, TrainingPeriod
from items.models import DevolvedItem, ItemStatus, PowerType
from seals.models import Seal, SealStatus, SealUsage
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "panshan-rollout-2016"


def clerk(django_user_model, username, role, department):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    DepartmentStaff.objects.create(user=user, department=department)
    return user


def custody_step(page, site, seal, action, on, person):
    page.goto(site + "/admin/seals/seal/")
    page.locator(f'input[name="_selected_action"][value="{seal.pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.get_by_role("button", name="执行").click()
    page.get_by_label("日期").fill(on)
    page.get_by_label("经办人").fill(person)
    page.get_by_role("button", name="确认登记").click()
    expect(page.locator(".messagelist")).to_contain_text("已为 1 枚印章登记")


def pick(page, field, text):
    """Choose `text` in an admin autocomplete (select2) field."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_a_city_clerk_and_a_county_clerk_roll_one_item_out(page, site, django_user_model):
    item = (
        DevolvedItem.objects.filter(power_type=PowerType.LICENSING, provincial_system=None)
        .select_related("city_department", "county_department")
        .first()
    )
    handover = Handover.objects.get(
        plan=item.plan,
        city_department=item.city_department,
        county_department=item.county_department,
    )
    seal = Seal.objects.get(
        plan=item.plan, issuer=item.city_department, holder=item.county_department, kind="approval"
    )
    clerk(django_user_model, "city-clerk", CITY_STAFF, item.city_department)
    clerk(django_user_model, "county-clerk", DEPARTMENT_STAFF, item.county_department)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The city department: its seal engraved and delivered, the handover recorded complete.
    log_in(page, site, "city-clerk", PASSWORD)
    custody_step(page, site, seal, "record_engraved", "2016-09-20", "市民政局 王五")
    custody_step(page, site, seal, "record_delivered", "2016-09-26", "市民政局 王五")
    page.goto(site + "/admin/seals/seal/")
    expect(page.locator("#result_list")).to_contain_text("已送达县政府")
    expect(page.locator("#result_list")).not_to_contain_text(
        Seal.objects.exclude(issuer=item.city_department).first().name
    )
    screenshot(page, "rollout-city-seals.png", full_page=False)
    page.goto(site + f"/admin/handover/handover/{handover.pk}/change/")
    page.locator("#id_completed_on").fill("2016-09-30")
    page.locator("#id_signed_by").fill("县编委办 赵六")
    screenshot(page, "rollout-city-handover.png", full_page=False)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    # Completing the handover opened the training period; the city department sets its length.
    period = TrainingPeriod.objects.get(handover=handover)
    page.goto(site + f"/admin/handover/trainingperiod/{period.pk}/change/")
    page.locator("#id_months").fill("1")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    assert TrainingPeriod.objects.get(pk=period.pk).months == 1
    # The county's stamps are not the city's to see.
    response = page.goto(site + "/admin/seals/sealusage/")
    assert response.status == 403

    # The county department: the seal distributed and enabled, the item stamped, training closed.
    log_in(page, site, "county-clerk", PASSWORD)
    custody_step(page, site, seal, "record_distributed", "2016-09-27", "县政府办 孙七")
    custody_step(page, site, seal, "record_enabled", "2016-10-08", "县民政局 钱八")
    page.goto(site + "/admin/seals/sealusage/add/")
    pick(page, "seal", seal.name)
    pick(page, "item", item.name)
    page.locator("#id_stamped_on").fill("2016-10-20")
    page.locator("#id_document_reference").fill("盘山审〔2016〕1号")
    page.locator("#id_applicant").fill("盘山县某某有限公司")
    page.locator("#id_stamped_by").fill("县民政局 钱八")
    screenshot(page, "rollout-county-stamp.png", full_page=False)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    assert SealUsage.objects.filter(item=item, seal=seal).exists()
    page.goto(site + f"/admin/handover/trainingperiod/{period.pk}/change/")
    expect(page.locator("#id_months")).to_have_count(0)  # the length is the city's to set
    page.locator("#id_confirmed_on").fill("2016-10-30")
    page.locator("#id_confirmed_by").fill("县民政局 钱八")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功")

    item.refresh_from_db()
    assert item.status == ItemStatus.EXERCISED
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.ENABLED
    page.goto(site + f"/items/{item.pk}/")
    expect(page.locator("#where-title")).to_be_visible()
    expect(page.locator("main")).to_contain_text("独立行使")
    screenshot(page, "rollout-public-item.png", full_page=False)
