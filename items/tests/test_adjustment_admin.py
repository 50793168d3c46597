"""The adjustment workflow through the admin: the step page, the item list as of a date."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from devolution.tests.factories import UserFactory
from items import adjustments
from items.models import Adjustment, ChangeKind, DevolvedItem
from supervision.roles import REFORM_OFFICE

from .factories import DevolvedItemFactory

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

    client.force_login(author)
    assert step(client, adjustment, action="submit").status_code == 302
    refused = step(client, adjustment, action="approve")
    assert "起草人不能审核自己起草的调整" in refused.content.decode()
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.SUBMITTED

    client.force_login(reviewer)
    step(client, adjustment, action="approve", note="同意")
    page = step(client, adjustment, action="publish", doc_number="", effective_on="2019-01-01")
    assert "公布须填写文号" in page.content.decode()
    step(
        client,
        adjustment,
        action="publish",
        doc_number="盘县编办发〔2019〕1号",
        effective_on="2019-01-01",
    )
    assert Adjustment.objects.get(pk=adjustment.pk).status == Adjustment.Status.PUBLISHED
    assert not DevolvedItem.objects.current().filter(pk=item.pk).exists()

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
    assert "name=事项名称" in page.content.decode()  # the field names a clerk may write


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
