"""The public site and the list's versions: nothing changes before publication; any version is
readable by date or number; the change log, the diff, the feed and the open-data package."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group

from devolution.tests.factories import UserFactory
from items import adjustments
from items.models import ChangeKind, DevolvedItem
from items.tests.factories import DevolvedItemFactory
from supervision.roles import REFORM_OFFICE

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2019, 1, 1)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def office(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


@pytest.fixture
def listed():
    """Three items of version 1 and an approved adjustment withdrawing one and renaming one."""
    kept = DevolvedItemFactory(name="保留事项")
    withdrawn = DevolvedItemFactory(name="收回事项")
    renamed = DevolvedItemFactory(name="原名称事项")
    author, reviewer = office("public-author"), office("public-reviewer")
    adjustment = adjustments.draft("2018年度动态调整", author)
    adjustments.add_change(adjustment, ChangeKind.WITHDRAW, item=withdrawn, note="县承接不了")
    adjustments.add_change(
        adjustment, ChangeKind.CHANGE, item=renamed, values={"name": "新名称事项"}
    )
    adjustments.submit(adjustment, author)
    adjustments.approve(adjustment, reviewer)
    return adjustment, reviewer, kept, withdrawn, renamed


def public_state(client):
    """What a citizen sees: the list, the API, the CSV download and the change log."""
    return (
        body(client.get("/items/")),
        body(client.get("/api/items/")),
        body(client.get("/items/export.csv")),
        body(client.get("/changes/")),
    )


def test_the_public_site_changes_only_at_publication(client, listed):
    adjustment, reviewer, _kept, _withdrawn, _renamed = listed
    before = public_state(client)
    assert "收回事项" in before[0] and "原名称事项" in before[2]
    assert "新名称事项" not in "".join(before)
    assert public_state(client) == before  # approved, not published: nothing moved

    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)

    listing, api, csv, log = public_state(client)
    assert "收回事项" not in listing and "收回事项" not in api and "收回事项" not in csv
    assert "新名称事项" in listing and "新名称事项" in csv
    assert "盘县编办发〔2019〕1号" in log and "县承接不了" in log


def test_as_of_a_date_before_and_after_a_withdrawal(client, listed):
    adjustment, reviewer, _kept, _withdrawn, _renamed = listed
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)

    def api_names(**params):
        data = json.loads(client.get("/api/items/", params).content)
        return data["list_version"], sorted(item["name"] for item in data["results"])

    assert api_names(as_of="2018-12-31") == (1, ["保留事项", "原名称事项", "收回事项"])
    assert api_names(as_of="2019-01-01") == (2, ["保留事项", "新名称事项"])
    assert api_names(version=1) == api_names(as_of="2018-12-31")
    # The list page says which version it shows; the download holds that version's rows.
    page = body(client.get("/items/", {"as_of": "2018-06-01"}))
    assert "历史清单" in page and "收回事项" in page and "原名称事项" in page
    csv = body(client.get("/items/export.csv", {"as_of": "2018-06-01"}))
    assert "原名称事项" in csv and "新名称事项" not in csv
    response = client.get("/items/export.csv", {"version": 1})
    assert (
        "版本1" in response["Content-Disposition"]
        or "%E7%89%88%E6%9C%AC1" in response["Content-Disposition"]
    )
    # Before version 1 there was no list; a bad date is reported, not a 500.
    assert api_names(as_of="2016-01-01") == (0, [])
    assert client.get("/api/items/", {"as_of": "2019-13-01"}).status_code == 400
    assert "历史清单" not in body(client.get("/items/", {"as_of": "bad"}))
    # A version not yet published is said to be missing, not shown as today's list.
    page = body(client.get("/items/", {"version": 99}))
    assert "没有版本99：目前最新为版本2。" in page
    assert client.get("/api/items/", {"version": 99}).status_code == 400


def test_the_diff_of_versions_1_and_2_lists_exactly_the_adjustments_changes(client, listed):
    adjustment, reviewer, _kept, withdrawn, renamed = listed
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)
    response = client.get("/changes/", {"from": 1, "to": 2})
    groups = response.context["diff"]
    assert [(label, [c.item_id for c in changes]) for label, changes in groups] == [
        ("变更", [renamed.pk]),
        ("收回", [withdrawn.pk]),
    ]
    assert groups[0][1][0].fields == [
        {"field": "事项名称", "old": "原名称事项", "new": "新名称事项"}
    ]
    assert "请选择两个已公布的版本号" in body(client.get("/changes/", {"from": 1, "to": 9}))


def test_an_items_page_shows_its_changes_by_version_not_who(client, listed):
    adjustment, reviewer, _kept, withdrawn, renamed = listed
    page = body(client.get(f"/items/{renamed.pk}/"))
    assert "版本1" in page and "公布" in page and "2016年9月9日" in page
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)
    page = body(client.get(f"/items/{renamed.pk}/"))
    assert "版本2" in page and "原名称事项 → 新名称事项" in page and "2019年1月1日" in page
    assert "public-author" not in page and "public-reviewer" not in page
    withdrawn_page = body(client.get(f"/items/{withdrawn.pk}/"))
    assert "收回市直部门" in withdrawn_page


def test_the_version_permalink_feed_history_csv_and_datapackage(client, listed):
    adjustment, reviewer, _kept, _withdrawn, _renamed = listed
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)
    version_page = body(client.get("/versions/2/"))
    assert "盘县编办发〔2019〕1号" in version_page and "收回事项" in version_page
    assert client.get("/versions/99/").status_code == 404
    feed = client.get("/changes/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "版本2" in body(feed) and "收回1项" in body(feed)
    history = body(client.get("/changes/history.csv")).splitlines()
    assert history[0].startswith("版本号,文号,生效日期,变动类型")
    assert any("事项名称,原名称事项,新名称事项" in line for line in history)
    assert len(history) == 3
    package = json.loads(client.get("/datapackage.json").content)
    items, changes = package["resources"]
    assert [field["name"] for field in items["schema"]["fields"]][:2] == ["序号", "事项名称"]
    status = next(f for f in items["schema"]["fields"] if f["name"] == "状态")
    assert "已收回（回到市直部门）" in status["constraints"]["enum"]
    assert changes["path"].endswith("/changes/history.csv")


def test_the_datapackage_describes_every_csv_column(client, db):
    from devolution.public.changelog import HISTORY_HEADERS
    from items.tabular import ITEM_HEADERS

    package = json.loads(client.get("/datapackage.json").content)
    items, changes = package["resources"]
    assert [field["name"] for field in items["schema"]["fields"]] == ITEM_HEADERS
    assert [field["name"] for field in changes["schema"]["fields"]] == HISTORY_HEADERS
    assert DevolvedItem.objects.count() == 0


def test_a_keyword_on_a_past_version_matches_that_versions_wording(client, listed):
    adjustment, reviewer, _kept, _withdrawn, renamed = listed
    renamed_department = renamed.county_department
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)

    def names(**params):
        data = json.loads(client.get("/api/items/", params).content)
        return sorted(item["name"] for item in data["results"])

    # Version 1 said 原名称事项: its old wording is found, today's is not.
    assert names(version=1, q="原名称") == ["原名称事项"]
    assert names(as_of="2018-12-31", q="新名称") == []
    assert names(q="原名称") == [] and names(q="新名称") == ["新名称事项"]
    # The list page and the download of that version search it the same way.
    page = body(client.get("/items/", {"version": 1, "q": "原名称"}))
    assert "原名称事项" in page and "新名称事项" not in page
    csv = body(client.get("/items/export.csv", {"version": 1, "q": "新名称"}))
    assert "新名称事项" not in csv and "原名称事项" not in csv
    # A filter on a past version reads that version's department too.
    assert names(version=1, department=renamed_department.pk, q="名称") == ["原名称事项"]


def test_a_list_of_a_past_version_reads_the_latest_version_once(client, listed):
    """The version's check (no version beyond the latest) and its banner share one read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    adjustment, reviewer, *_ = listed
    adjustments.publish(adjustment, reviewer, "盘县编办发〔2019〕1号", EFFECTIVE)
    for url in ["/items/?version=1", "/api/items/?version=1"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        latest = [q for q in queries if 'MAX("items_listversion"."number")' in q["sql"]]
        assert len(latest) == 1, url
