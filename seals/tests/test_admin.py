"""The seals in the admin: a clerk's walk from engraving to a stamp, refusals with their reasons,
the reach of a department's staff, the reports and the approval-bureau switch."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devolution.edit_conflicts import history_mark
from devolution.tests.factories import DepartmentStaffFactory
from items.models import ItemStatus, PowerType
from items.tests.factories import DevolvedItemFactory
from seals.models import Seal, SealCustodyEvent, SealKind, SealStatus, SealUsage
from seals.tests.factories import EnabledSealFactory, SealFactory, SealUsageFactory

pytestmark = pytest.mark.django_db

CLERK_PERMISSIONS = [
    "view_seal",
    "change_seal",
    "view_sealcustodyevent",
    "add_sealcustodyevent",
    "view_sealusage",
    "add_sealusage",
    "change_sealusage",
    "view_devolveditem",
]
CHANGELIST = reverse("admin:seals_seal_changelist")
# Another department's record is not opened: 404 (as if it did not exist) or 403 (refused).
NOT_OPENED = {403, 404}
USAGE_ADD = reverse("admin:seals_sealusage_add")


def clerk_of(department, client):
    staff = DepartmentStaffFactory(department=department)
    staff.user.user_permissions.set(Permission.objects.filter(codename__in=CLERK_PERMISSIONS))
    client.force_login(staff.user)
    return client


def run_step(client, seals, action, on, person="王五"):
    selected = [seal.pk for seal in seals]
    # The action first shows its page asking for the date and the person ...
    page = client.post(CHANGELIST, {"action": action, "_selected_action": selected})
    assert page.status_code == 200 and "经办人" in page.content.decode()
    # ... and records the step when that page is sent.
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": selected,
            "apply": "1",
            "happened_on": on.isoformat(),
            "person": person,
            "note": "",
        },
        follow=True,
    )


def usage_post(seal, item, reference="盘山审〔2016〕7号", **extra):
    return {
        "seal": seal.pk,
        "item": item.pk,
        "stamped_on": "2016-11-02",
        "document_reference": reference,
        "applicant": "盘山县某某合作社",
        "stamped_by": "李四",
        "route": "province",
        "forwarded_by": item.city_department_id,
        "forwarded_on": "2016-11-03",
        "note": "",
        **extra,
    }


def test_a_clerk_takes_a_seal_from_engraving_to_a_stamp(client):
    seal = SealFactory(name="盘锦市民政局行政审批专用章(4)")
    item = DevolvedItemFactory(
        plan=seal.plan,
        county_department=seal.holder,
        name="社会团体成立登记",
        status=ItemStatus.IN_TRAINING,
    )
    # The issuing city department engraves and delivers; the county distributes and enables.
    clerk_of(seal.issuer, client)
    city_steps = [
        ("record_engraved", datetime.date(2016, 9, 12)),
        ("record_delivered", datetime.date(2016, 9, 26)),
    ]
    county_steps = [
        ("record_distributed", datetime.date(2016, 9, 27)),
        ("record_enabled", datetime.date(2016, 10, 8)),
    ]
    for action, on in city_steps:
        response = run_step(client, [seal], action, on)
        assert "已为 1 枚印章登记" in response.content.decode()
    # Neither side is offered the other's steps.
    assert "record_enabled" not in client.get(CHANGELIST).content.decode()
    clerk_of(seal.holder, client)
    assert "record_delivered" not in client.get(CHANGELIST).content.decode()
    for action, on in county_steps:
        response = run_step(client, [seal], action, on)
        assert "已为 1 枚印章登记" in response.content.decode()
    seal.refresh_from_db()
    assert seal.status == SealStatus.ENABLED
    change_page = client.get(reverse("admin:seals_seal_change", args=[seal.pk])).content.decode()
    for label in ["已刻制", "已送达县政府", "已分送承接部门", "已启用", "2016年10月8日"]:
        assert label in change_page

    response = client.post(USAGE_ADD, usage_post(seal, item))
    assert response.status_code == 302
    usage = SealUsage.objects.get()
    assert usage.route == SealUsage.Route.PROVINCE
    register = client.get(reverse("admin:seals_sealusage_changelist")).content.decode()
    assert "盘山审〔2016〕7号" in register
    # Who recorded the stamp is in its history.
    history = client.get(reverse("admin:seals_sealusage_history", args=[usage.pk]))
    assert usage.history.get().history_user.username in history.content.decode()
    item_page = client.get(reverse("admin:items_devolveditem_change", args=[item.pk]))
    assert "用印记录" in item_page.content.decode()
    assert "盘山审〔2016〕7号" in item_page.content.decode()


def test_each_invalid_stamp_is_refused_in_the_admin_with_its_reason(client):
    seal = EnabledSealFactory()
    clerk_of(seal.holder, client)
    ready = {"plan": seal.plan, "county_department": seal.holder, "status": ItemStatus.EXERCISED}
    cases = [
        (
            DevolvedItemFactory(**{**ready, "status": ItemStatus.NOT_HANDED_OVER}),
            "尚未完成权力交接",
        ),
        (
            DevolvedItemFactory(**{**ready, "power_type": PowerType.PENALTY}),
            "印章类别与事项类别不符",
        ),
        (DevolvedItemFactory(status=ItemStatus.IN_TRAINING), "非本部门保管的印章"),
    ]
    for item, reason in cases:
        response = client.post(USAGE_ADD, usage_post(seal, item))
        assert response.status_code == 200
        assert reason in response.content.decode()
    sealed = SealFactory(
        plan=seal.plan,
        holder=seal.holder,
        kind=SealKind.NON_APPROVAL,
        status=SealStatus.SEALED_AWAY,
        name="已封存的章",
    )
    item = DevolvedItemFactory(**{**ready, "power_type": PowerType.PENALTY})
    response = client.post(USAGE_ADD, usage_post(sealed, item))
    assert "印章未启用" in response.content.decode()
    assert not SealUsage.objects.exists()


def test_a_wrong_step_in_the_admin_names_it_and_changes_nothing(client):
    seals = [SealFactory(), SealFactory(status=SealStatus.DELIVERED)]
    department = seals[0].issuer
    Seal.objects.filter(pk=seals[1].pk).update(
        holder=seals[0].holder, issuer=department, name="第二枚"
    )
    clerk_of(department, client)
    response = run_step(client, seals, "record_delivered", datetime.date(2016, 9, 26))
    page = response.content.decode()
    assert "当前环节为“已送达县政府”，不能登记“已送达县政府”" in page
    assert "未登记任何“已送达县政府”" in page
    # The first seal could have gone forward; the batch is all or nothing.
    assert list(Seal.objects.order_by("pk").values_list("status", flat=True)) == [
        SealStatus.ENGRAVED,
        SealStatus.DELIVERED,
    ]
    assert not SealCustodyEvent.objects.exists()


def test_a_custody_step_added_by_hand_goes_through_the_same_rule(client):
    seal = SealFactory()
    clerk_of(seal.issuer, client)
    url = reverse("admin:seals_sealcustodyevent_add")
    step = {"seal": seal.pk, "happened_on": "2016-09-26", "person": "王五", "note": ""}
    response = client.post(url, {**step, "step": SealStatus.ENABLED})
    assert "当前环节为“已刻制”，不能登记“已启用”" in response.content.decode()
    assert client.post(url, {**step, "step": SealStatus.DELIVERED}).status_code == 302
    seal.refresh_from_db()
    assert seal.status == SealStatus.DELIVERED
    assert seal.custody_events.get().person == "王五"
    # Enabling is the county's step: the city department cannot record it.
    Seal.objects.filter(pk=seal.pk).update(status=SealStatus.DISTRIBUTED)
    response = client.post(url, {**step, "step": SealStatus.ENABLED})
    assert "本部门不能登记这一环节" in response.content.decode()


def test_a_department_cannot_reach_another_departments_seal_by_any_path(client):
    own = EnabledSealFactory(name="本部门的章")
    other = EnabledSealFactory(name="别人的章")
    other_item = DevolvedItemFactory(
        plan=other.plan, county_department=other.holder, status=ItemStatus.IN_TRAINING
    )
    other_usage = SealUsageFactory(seal=other, item=other_item, document_reference="别人的用印")
    clerk_of(own.holder, client)

    changelist = client.get(CHANGELIST).content.decode()
    assert "本部门的章" in changelist and "别人的章" not in changelist
    for view in ["change", "history"]:
        url = reverse(f"admin:seals_seal_{view}", args=[other.pk])
        assert client.get(url).status_code in NOT_OPENED
    version = other.history.first().history_id
    url = reverse("admin:seals_seal_simple_history", args=[other.pk, version])
    assert client.get(url).status_code in NOT_OPENED
    assert client.get(reverse("admin:seals_seal_change", args=[own.pk])).status_code == 200

    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "seals", "model_name": "sealusage", "field_name": "seal", "term": "章"},
    ).json()
    assert [result["text"] for result in autocomplete["results"]] == ["本部门的章"]

    # Recording a stamp with the other department's seal, on the other department's own item:
    # every stamping rule would pass, so it is the department rule that refuses it.
    response = client.post(USAGE_ADD, usage_post(other, other_item, reference="越权用印"))
    assert response.status_code == 200
    assert "只能使用本部门" in response.content.decode()
    assert not SealUsage.objects.filter(document_reference="越权用印").exists()
    # And with its own seal on the other department's item, the holder rule refuses it.
    response = client.post(USAGE_ADD, usage_post(own, other_item, reference="越权用印"))
    assert "非本部门保管的印章" in response.content.decode()
    assert not SealUsage.objects.filter(document_reference="越权用印").exists()

    register = client.get(reverse("admin:seals_sealusage_changelist")).content.decode()
    assert "别人的用印" not in register
    usage_url = reverse("admin:seals_sealusage_change", args=[other_usage.pk])
    assert client.get(usage_url).status_code in NOT_OPENED
    step_url = reverse("admin:seals_sealcustodyevent_add")
    response = client.post(
        step_url,
        {"seal": other.pk, "step": "sealed_away", "happened_on": "2016-12-01", "person": "王五"},
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.status == SealStatus.ENABLED
    report = client.get(reverse("admin:seals_seal_report")).content.decode()
    assert "别人的章" not in report
    # An action posted with the other department's seal selected does not reach it.
    client.post(
        CHANGELIST,
        {
            "action": "record_sealed_away",
            "_selected_action": [other.pk],
            "apply": "1",
            "happened_on": "2016-12-01",
            "person": "王五",
        },
    )
    other.refresh_from_db()
    assert other.status == SealStatus.ENABLED and not other.custody_events.exists()
    assert reverse("admin:seals_seal_approval_bureau") not in changelist


def test_the_autocomplete_offers_only_enabled_seals_for_a_stamp(admin_client_logged_in):
    EnabledSealFactory(name="可用的章")
    SealFactory(name="未启用的章")
    results = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {"app_label": "seals", "model_name": "sealusage", "field_name": "seal", "term": ""},
    ).json()["results"]
    assert [result["text"] for result in results] == ["可用的章"]


def test_the_report_counts_stamps_per_seal_item_and_month_in_a_fixed_number_of_queries(
    admin_client_logged_in,
):
    url = reverse("admin:seals_seal_report")

    def report():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client_logged_in.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    SealFactory(name="还没启用的章")
    SealFactory(name="送达晚了的章", delivery_due_on=datetime.date(2016, 9, 30))
    usage = SealUsageFactory()
    _, queries_for_one = report()
    for day in [datetime.date(2016, 11, 3), datetime.date(2016, 12, 5)]:
        SealUsageFactory(
            seal=usage.seal,
            item=usage.item,
            stamped_on=day,
            route="province",
            forwarded_by=usage.item.city_department,
            forwarded_on=day,
        )
    SealUsageFactory.create_batch(5)
    page, queries = report()
    assert queries == queries_for_one
    assert "2016年11月" in page and "2016年12月" in page
    assert "还没启用的章" in page
    assert "送达晚了的章</a></td><td>" in page.split("送达逾期的印章")[1]
    seals = Seal.objects.filter(usages__isnull=False).distinct()
    assert seals.count() == 6
    # Three stamps on the first seal and item, one on each of the others.
    assert f'seal__id__exact={usage.seal.pk}">{usage.seal.name}</a></td>' in page
    assert page.count("<td>3</td>") >= 2


def test_seals_not_yet_enabled_are_listed_by_their_filter(admin_client_logged_in):
    EnabledSealFactory(name="已启用的章")
    SealFactory(name="刚刻好的章", status=SealStatus.ENGRAVED)
    SealFactory(name="已分送的章", status=SealStatus.DISTRIBUTED)
    page = admin_client_logged_in.get(CHANGELIST, {"enablement": "not_yet"}).content.decode()
    assert "刚刻好的章" in page and "已分送的章" in page and "已启用的章" not in page


def test_a_departments_clerk_cannot_do_the_reform_offices_bureau_step(client):
    # The bureau's own steps are tested in test_approval_bureau.py.
    seal = EnabledSealFactory()
    url = reverse("admin:seals_seal_approval_bureau")
    assert clerk_of(seal.holder, client).get(url).status_code == 403
    assert clerk_of(seal.issuer, client).get(url).status_code == 403
    assert url not in client.get(CHANGELIST).content.decode()


def test_a_seals_status_and_identity_change_only_through_its_custody_steps(client):
    seal = SealFactory(name="原名")
    clerk_of(seal.holder, client)
    url = reverse("admin:seals_seal_change", args=[seal.pk])
    form = {
        "name": "改名",
        "status": SealStatus.ENABLED,
        "note": "补充说明",
        "custody_events-TOTAL_FORMS": "0",
        "custody_events-INITIAL_FORMS": "0",
        # The change form's history mark (devolution.edit_conflicts): opened on this state.
        "opened_history_id": history_mark(seal),
    }
    assert client.post(url, form).status_code == 302
    seal.refresh_from_db()
    assert (seal.name, seal.status, seal.note) == ("原名", SealStatus.ENGRAVED, "补充说明")


def test_a_department_clerk_records_new_seals_only_for_their_department(client):
    seal = SealFactory()
    other = SealFactory()
    clerk_of(seal.holder, client).force_login(seal.holder.staff.get().user)
    user = seal.holder.staff.get().user
    user.user_permissions.add(Permission.objects.get(codename="add_seal"))
    form = {
        "plan": seal.plan.pk,
        "name": "别人的新章",
        "kind": SealKind.NON_APPROVAL,
        "issuer": other.issuer.pk,
        "holder": other.holder.pk,
        "note": "",
        "custody_events-TOTAL_FORMS": "0",
        "custody_events-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:seals_seal_add"), form)
    assert response.status_code == 200
    assert not Seal.objects.filter(name="别人的新章").exists()
    response = client.post(reverse("admin:seals_seal_add"), {**form, "holder": seal.holder.pk})
    assert response.status_code == 302
    assert Seal.objects.get(name="别人的新章").status == SealStatus.ENGRAVED


def test_an_items_page_lists_its_stamps_in_a_fixed_number_of_queries(admin_client_logged_in):
    usage = SealUsageFactory()
    url = reverse("admin:items_devolveditem_change", args=[usage.item.pk])
    admin_client_logged_in.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client_logged_in.get(url)
        return response.content.decode(), len(captured)

    _, one_stamp = queries()
    SealUsageFactory.create_batch(8, seal=usage.seal, item=usage.item)
    page, nine_stamps = queries()
    assert nine_stamps == one_stamp
    assert page.count(usage.seal.name) >= 9


def test_a_seals_page_shows_its_custody_history_in_a_fixed_number_of_queries(
    admin_client_logged_in,
):
    from seals.services import advance_seal

    seal = SealFactory()
    url = reverse("admin:seals_seal_change", args=[seal.pk])
    advance_seal(seal, SealStatus.ENGRAVED, datetime.date(2016, 9, 12), "王五")
    admin_client_logged_in.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client_logged_in.get(url)
        return response.content.decode(), len(captured)

    _, one_step = queries()
    for step in [SealStatus.DELIVERED, SealStatus.DISTRIBUTED, SealStatus.ENABLED]:
        advance_seal(seal, step, datetime.date(2016, 9, 26), "赵六")
    page, four_steps = queries()
    assert four_steps == one_step
    assert page.count("赵六") == 3
