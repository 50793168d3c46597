"""The fixtures `make setup` loads: the real plan and departments, the illustrative annexes."""

import datetime

import pytest
from django.core.management import call_command

from devolution.models import Department, Plan
from handover.models import Handover
from items.models import CancelledApproval, DevolvedItem, PowerType
from seals.models import Seal, SealKind

pytestmark = pytest.mark.django_db

# The notice's list of receiving departments, in its order.
NOTICE_DEPARTMENTS = (
    "县经信局 县教育局 县科技局 县民族宗教事务局 县公安局 县消防大队 县民政局 县司法局 县财政局 "
    "县人社局 县国土局 县环保局 县住建局 县交通局 县农经局 县动监局 县水利局 县商务局 "
    "县文化广电体育局 县卫计局 县金融办 县物价办 县市场监督管理局 县安监局 县旅游局 县防空办 "
    "县农机总站 县地震办 县残联"
).split()


def test_the_plan_is_the_notice(registry):
    plan = Plan.objects.get()
    assert plan.doc_number == "盘县政办发〔2016〕109号"
    assert plan.issued_on == datetime.date(2016, 9, 9)
    assert plan.published_on == datetime.date(2016, 9, 11)
    assert plan.parent_doc_number == "盘政发〔2016〕37号"
    assert "15个工作日内完成同县的权力交接工作" in plan.text


def test_the_29_receiving_departments_as_the_notice_lists_them(registry):
    county = Department.objects.filter(level=Department.Level.COUNTY).order_by("sort_order")
    assert [d.short_name for d in county] == NOTICE_DEPARTMENTS
    assert county.get(short_name="县人社局").full_name == "盘山县人力资源和社会保障局"
    for department in county.select_related("counterpart"):
        assert department.full_name.startswith("盘山县")
        assert department.counterpart.full_name.startswith("盘锦市")
    assert Department.objects.get(is_approval_bureau=True).full_name == "盘锦市行政审批局"


def test_annex_counts_and_power_types(registry):
    assert CancelledApproval.objects.count() == 49
    assert DevolvedItem.objects.count() == 308
    assert set(DevolvedItem.objects.values_list("power_type", flat=True)) == set(PowerType.values)
    receiving = set(DevolvedItem.objects.values_list("county_department__short_name", flat=True))
    assert receiving == set(NOTICE_DEPARTMENTS)
    assert not DevolvedItem.objects.filter(illustrative=False).exists()
    assert not CancelledApproval.objects.filter(illustrative=False).exists()


def test_items_are_devolved_by_the_county_departments_counterpart(registry):
    for item in DevolvedItem.objects.select_related("county_department"):
        assert item.city_department_id == item.county_department.counterpart_id


def test_each_pair_has_one_open_handover_and_its_seals(registry):
    pairs = set(DevolvedItem.objects.values_list("city_department", "county_department"))
    handovers = Handover.objects.all()
    assert {(h.city_department_id, h.county_department_id) for h in handovers} == pairs
    assert not handovers.filter(completed_on__isnull=False).exists()
    for city_id, county_id in pairs:
        items = DevolvedItem.objects.filter(city_department=city_id, county_department=county_id)
        expected = set()
        if items.filter(power_type=PowerType.LICENSING).exists():
            expected.add(SealKind.APPROVAL)
        if items.exclude(power_type=PowerType.LICENSING).exists():
            expected.add(SealKind.NON_APPROVAL)
        seals = Seal.objects.filter(issuer=city_id, holder=county_id)
        assert set(seals.values_list("kind", flat=True)) == expected
    assert Seal.objects.filter(name="盘锦市人力资源和社会保障局行政审批专用章(4)").exists()


def test_seed_command_loads_once_and_never_overwrites(db):
    call_command("seed_registry")
    item = DevolvedItem.objects.get(sequence=1)
    item.name = "职员修改后的名称"
    item.save()
    call_command("seed_registry")
    assert DevolvedItem.objects.get(sequence=1).name == "职员修改后的名称"
    assert DevolvedItem.objects.count() == 308
    # Every loaded record starts its history, so later changes show against it.
    assert item.history.count() == 2
