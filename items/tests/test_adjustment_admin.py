"""The adjustment workflow through the admin: the step page, the item list as of a date."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from devolution.tests.factories import CountyDepartmentFactory, UserFactory
from items import adjustments
from items.models import Adjustment, ChangeKind, DevolvedItem, ListVersion
from supervision.roles import DEPARTMENT_STAFF, REFORM_OFFICE, SUPERVISION

from .factories import DevolvedItemFactory
from .test_adjustments import in_role

pytestmark = pytest.mark.django_db


def office_user(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


def step(client, adjustment, **data):
    url = reverse("admin:items_adjustment_step", args=[adjustment.pk])
    return client.post(url, data)


def test_the_admin_walks_a_draft_through_review_and_publication(client):
    author, reviewer = office_user("author"), office_user("reviewer")
    item = DevolvedItemFactory()
    adjustment = adjustments.draft("收回一项", author)
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=item)

    # 监察督查 reads the adjustment but takes no step, and is told so (not 无需办理).
    supervisor = UserFactory(username="supervisor", is_staff=True)
    supervisor.groups.add(Group.objects.get(name=SUPERVISION))
    client.force_login(supervisor)
    step_url = reverse("admin:items_adjustment_step", args=[adjustment.pk])
    assert "您没有可办理的步骤" in client.get(step_url).content.decode()

    client.force_login(author)
    assert step(client, adjustment, action="submit").status_code == 302
    done = client.get(reverse("admin:items_adjustment_change", args=[adjustment.pk]))
    assert "已办理“提交审核”：调整现为“待审核”。" in done.content.decode()
    # Its author is not offered 审核通过, and a post of it is refused.
    refused = step(client, adjustment, action="approve").content.decode()
    assert 'value="approve"' not in refused and "errorlist" in refused
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.SUBMITTED

    client.force_login(reviewer)
    step(client, adjustment, action="approve", note="同意")
    page = step(client, adjustment, action="publish", doc_number="", effective_on="2019-01-01")
    assert "公布须填写文号" in page.content.decode()
    # The date's error stands beside the date box, in Chinese, and the box says its format.
    for typed, message in [
        ("", "公布须填写生效日期。"),
        ("2019/1/1", "生效日期格式应为 YYYY-MM-DD。"),
    ]:
        page = step(
            client,
            adjustment,
            action="publish",
            doc_number="盘县编办发〔2019〕1号",
            effective_on=typed,
        ).content.decode()
        row = re.search(
            r'<div class="form-row">((?:(?!</div>).)*name="effective_on".*?)</div>', page, re.S
        ).group(1)
        assert message in row, message
        assert "格式：YYYY-MM-DD" in page
        assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.APPROVED
    step(
        client,
        adjustment,
        action="publish",
        doc_number="盘县编办发〔2019〕1号",
        effective_on="2019-01-01",
        version_title="2019年收回一项事项",
    )
    published = client.get(reverse("admin:items_adjustment_change", args=[adjustment.pk]))
    assert (
        "已公布为版本2（盘县编办发〔2019〕1号），2019年1月1日起施行。" in published.content.decode()
    )
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.PUBLISHED
    # The public change log reads the title given at publication, not the draft's.
    assert ListVersion.objects.get(doc_number="盘县编办发〔2019〕1号").title == "2019年收回一项事项"
    assert not DevolvedItem.objects.current().filter(pk=item.pk).exists()
    assert "该调整当前为“已公布”，不再办理。" in client.get(step_url).content.decode()

    changelist = reverse("admin:items_devolveditem_changelist")
    before = client.get(changelist, {"as_of": "2018-06-01"}).content.decode()
    after = client.get(changelist, {"as_of": "2019-06-01"}).content.decode()
    assert item.name in before and item.name not in after
    assert client.get(changelist, {"as_of": "not-a-date"}).status_code in (200, 302)


def test_the_list_action_drafts_an_adjustment_instead_of_changing_the_list(client):
    author = office_user("drafter")
    item = DevolvedItemFactory()
    client.force_login(author)
    client.post(
        reverse("admin:items_devolveditem_changelist"),
        {"action": "propose_withdraw", "_selected_action": [item.pk]},
    )
    adjustment = Adjustment.objects.get()
    assert adjustment.status == Adjustment.Status.DRAFT
    assert list(adjustment.changes.values_list("kind", "item")) == [("withdraw", item.pk)]
    assert DevolvedItem.objects.current().filter(pk=item.pk).exists()


def test_an_adjustments_page_tells_its_changes_in_chinese(client):
    author = office_user("teller")
    item = DevolvedItemFactory(name="旧名称")
    adjustment = adjustments.draft("改名", author)
    adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values={"name": "新名称"})
    client.force_login(author)
    page = client.get(reverse("admin:items_adjustment_change", args=[adjustment.pk]))
    assert "事项名称：旧名称 → 新名称" in page.content.decode()


def test_a_keyword_with_a_list_date_searches_that_dates_wording(
    client, django_assert_max_num_queries
):
    author, reviewer = office_user("renamer"), office_user("rename-reviewer")
    item = DevolvedItemFactory(name="燃气经营许可", legal_basis="《城镇燃气管理条例》")
    DevolvedItemFactory(name="别的事项")
    adjustment = adjustments.draft("改名", author)
    adjustments.add_change(
        adjustment,
        ChangeKind.CHANGE,
        item=item,
        values={"name": "供热经营许可", "legal_basis": "《供热条例》"},
    )
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer)
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", datetime.date(2019, 1, 1))

    client.force_login(reviewer)
    changelist = reverse("admin:items_devolveditem_changelist")

    def found(q, as_of=None):
        params = {"q": q, **({"as_of": as_of} if as_of else {})}
        with django_assert_max_num_queries(25):
            page = client.get(changelist, params).content.decode()
        return re.findall(
            r'<(?:td|th) class="field-item_name[^"]*"><a [^>]*><span [^>]*>([^<]*)<', page
        )

    # Before the change: the old wording is found, and shown; the new is not.
    assert found("燃气", "2018-06-01") == ["燃气经营许可"]
    assert found("城镇燃气管理", "2018-06-01") == ["燃气经营许可"]
    assert found("供热", "2018-06-01") == []
    # After it, and today: the new wording only.
    assert found("供热", "2019-06-01") == ["供热经营许可"]
    assert found("燃气", "2019-06-01") == []
    assert found("燃气") == [] and found("供热") == ["供热经营许可"]


# --- what a new user met on the adjustment pages --------------------------------------------


def draft_page_post(adjustment, new_rows=(), accepted=None):
    """What the draft's page posts: its fields, the changes (accepted or not) and new rows."""
    changes = list(adjustment.changes.order_by("pk"))
    data = {
        "title": adjustment.title,
        "reason": adjustment.reason,
        "changes-TOTAL_FORMS": len(changes),
        "changes-INITIAL_FORMS": len(changes),
        "changes-2-TOTAL_FORMS": len(new_rows),
        "changes-2-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": adjustment.steps.count(),
        "steps-INITIAL_FORMS": adjustment.steps.count(),
        "_continue": "保存并继续编辑",
    }
    for n, change in enumerate(changes):
        data[f"changes-{n}-id"] = change.pk
        data[f"changes-{n}-adjustment"] = adjustment.pk
        if change.accepted if accepted is None else accepted.get(change.pk, change.accepted):
            data[f"changes-{n}-accepted"] = "on"
    for n, step_row in enumerate(adjustment.steps.order_by("at", "pk")):
        data[f"steps-{n}-id"] = step_row.pk
        data[f"steps-{n}-adjustment"] = adjustment.pk
    for n, (kind, item) in enumerate(new_rows):
        data.update(
            {
                f"changes-2-{n}-kind": kind,
                f"changes-2-{n}-item": item.pk,
                f"changes-2-{n}-adjustment": adjustment.pk,
            }
        )
    return data


def messages_of(response):
    """The messages the page a post led to showed (and so used up)."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_a_refused_change_is_not_also_told_as_a_success(client):
    author = office_user("refused-author")
    on_list, gone = DevolvedItemFactory(), DevolvedItemFactory()
    DevolvedItem.objects.filter(pk=gone.pk).update(
        listed_until=1, retired_on=datetime.date(2016, 9, 9), status="withdrawn"
    )
    adjustment = adjustments.draft("收回", author)
    client.force_login(author)
    url = reverse("admin:items_adjustment_change", args=[adjustment.pk])
    response = client.post(url, draft_page_post(adjustment, [("withdraw", gone)]), follow=True)
    told = messages_of(response)
    assert [level for level, _ in told] == ["error"]
    assert "变动未加入" in told[0][1] and "已不在清单中" in told[0][1]
    assert not adjustment.changes.exists()
    response = client.post(url, draft_page_post(adjustment, [("withdraw", on_list)]), follow=True)
    assert [level for level, _ in messages_of(response)] == ["success"]
    assert list(adjustment.changes.values_list("kind", "item")) == [("withdraw", on_list.pk)]
    # A 变更 is not added here (it names its fields on the item's page): not offered.
    response = client.post(url, draft_page_post(adjustment, [("change", on_list)]), follow=True)
    assert "errorlist" in response.content.decode() and messages_of(response) == []
    assert adjustment.changes.count() == 1


def test_a_draft_tells_its_new_values_field_by_field_and_fits_no_raw_json(client):
    county = CountyDepartmentFactory()
    clerk = in_role(DEPARTMENT_STAFF, "json-clerk", county)
    item = DevolvedItemFactory(name="旧名称", county_department=county)
    adjustment = adjustments.draft("改名", clerk)
    adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values={"name": "新名称"})
    client.force_login(clerk)
    page = client.get(reverse("admin:items_adjustment_change", args=[adjustment.pk]))
    content = page.content.decode()
    assert "事项名称：旧名称 → 新名称" in content
    assert 'name="changes-0-values"' not in content and "name=事项名称" not in content
    propose = reverse("admin:items_devolveditem_propose", args=[item.pk])
    assert f'href="{propose}?adjustment={adjustment.pk}"' in content
    # The link opens 提出调整 into this draft.
    form = client.get(propose, {"adjustment": adjustment.pk}).content.decode()
    assert f'<option value="{adjustment.pk}" selected>' in form


def test_the_step_page_offers_only_the_steps_its_user_may_take(client):
    county = CountyDepartmentFactory()
    clerk = in_role(DEPARTMENT_STAFF, "step-clerk", county)
    author, reviewer = office_user("step-author"), office_user("step-reviewer")
    item = DevolvedItemFactory(county_department=county)
    proposal = adjustments.draft("部门申请", clerk)
    adjustments.add_change(proposal, ChangeKind.WITHDRAW, item=item)

    def offered(user, adjustment):
        client.force_login(user)
        page = client.get(reverse("admin:items_adjustment_step", args=[adjustment.pk]))
        content = page.content.decode()
        actions = re.findall(r'<option value="(\w+)"', content)
        return actions, 'name="doc_number"' in content, 'name="accept_all"' in content

    assert offered(clerk, proposal) == (["submit", "withdraw"], False, False)
    adjustments.submit(proposal, clerk)
    assert offered(clerk, proposal) == (["withdraw"], False, False)
    assert offered(reviewer, proposal) == (["approve", "reject", "accept", "withdraw"], False, True)

    own = adjustments.draft("编委办的调整", author)
    adjustments.add_change(own, ChangeKind.RETIRE, item=DevolvedItemFactory())
    adjustments.submit(own, author)
    # Its author reviews nothing of their own: no 审核通过, no 退回.
    assert offered(author, own) == (["accept", "withdraw"], False, True)
    adjustments.approve(own, reviewer)
    assert offered(author, own) == (["publish"], True, False)
    assert offered(clerk, proposal)[0] == ["withdraw"]


def test_the_index_tells_a_reviewer_how_many_adjustments_wait(client):
    author, reviewer = office_user("wait-author"), office_user("wait-reviewer")
    for title in ("一", "二"):
        adjustment = adjustments.draft(title, author)
        adjustments.add_change(adjustment, ChangeKind.RETIRE, item=DevolvedItemFactory())
        adjustments.submit(adjustment, author)
    adjustments.draft("还在起草", author)

    def waiting(user):
        client.force_login(user)
        content = client.get(reverse("admin:index")).content.decode()
        found = re.search(r"待您审核的动态调整</a></th><td>(\d+) 件", content)
        return int(found.group(1)) if found else None

    assert waiting(reviewer) == 2
    assert waiting(author) == 0  # their own wait for someone else
    clerk = in_role(DEPARTMENT_STAFF, "wait-clerk", CountyDepartmentFactory())
    assert waiting(clerk) is None


def test_titles_read_as_changes_and_item_pages_as_views(client):
    author = office_user("title-author")
    item = DevolvedItemFactory(name="燃气经营许可")
    client.force_login(author)
    page = client.get(reverse("admin:items_devolveditem_change", args=[item.pk])).content.decode()
    assert "<h1>查看 赋权事项</h1>" in page and "修改 赋权事项" not in page
    propose = reverse("admin:items_devolveditem_propose", args=[item.pk])
    data = {
        name: value if value is not None else ""
        for name, value in adjustments.raw_values(item).items()
        if name != "illustrative"
    }
    client.post(propose, {**data, "plan": item.plan_id, "name": "燃气经营许可证核发"})
    assert Adjustment.objects.get().title == "变更事项「燃气经营许可」"


def test_a_past_lists_items_open_as_they_were_and_diffs_read_oldest_first(client):
    author, reviewer = office_user("past-author"), office_user("past-reviewer")
    item = DevolvedItemFactory(name="旧的事项名称")
    adjustment = adjustments.draft("改名", author)
    adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values={"name": "新的名称"})
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer)
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", datetime.date(2019, 1, 1))

    past = client.get("/items/", {"version": 1}).content.decode()
    assert f'href="/items/{item.pk}/?version=1"' in past
    page = client.get(f"/items/{item.pk}/", {"version": 1}).content.decode()
    assert "<h1>旧的事项名称" in page and "版本1" in page
    assert "<h1>新的名称" in client.get(f"/items/{item.pk}/").content.decode()
    assert f'href="/items/{item.pk}/"' in client.get("/items/").content.decode()

    reversed_diff = client.get("/changes/", {"from": 2, "to": 1}).content.decode()
    assert "版本1与版本2之间的变动" in reversed_diff and "版本2与版本1" not in reversed_diff
