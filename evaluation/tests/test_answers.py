"""Who answers what: the county department its self-assessment, the city department its comment,
the reform office its recommendation; each signed with who and when, with history; closing a
round."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from devolution.edit_conflicts import history_mark
from devolution.models import DepartmentStaff
from devolution.tests.factories import UserFactory
from evaluation.models import EvaluationRound, Recommendation
from evaluation.services import close_round, list_changes, recommend_keep, save_answers
from evaluation.tests.factories import ItemEvaluationFactory
from items.adjustments import accept_changes, revise_change
from items.models import Adjustment, ChangeKind, DevolvedItem
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF, REFORM_OFFICE

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2018, 1, 15, 9, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2018, 3, 1)


def user_in(role, department=None, name=None):
    user = UserFactory(username=name or f"{role}-{department.pk if department else 'all'}")
    user.groups.add(Group.objects.get(name=role))
    if department is not None:
        DepartmentStaff.objects.create(user=user, department=department)
    return user


def change_url(evaluation):
    return reverse("admin:evaluation_itemevaluation_change", args=[evaluation.pk])


def test_the_county_department_answers_its_self_assessment_signed_with_who_and_when():
    evaluation = ItemEvaluationFactory()
    clerk = user_in(DEPARTMENT_STAFF, evaluation.county_department)
    evaluation.capacity = "partly"
    evaluation.staffing = "专职2人"
    save_answers(evaluation, clerk, ["capacity", "staffing"], now=NOW)
    evaluation.refresh_from_db()
    assert (evaluation.assessed_by, evaluation.assessed_at) == (clerk, NOW)
    assert evaluation.recommended_by is None
    latest = evaluation.history.latest()
    assert latest.capacity == "partly" and latest.history_user == clerk


def test_a_clerk_may_not_give_the_office_s_recommendation():
    evaluation = ItemEvaluationFactory()
    clerk = user_in(DEPARTMENT_STAFF, evaluation.county_department)
    evaluation.recommendation = Recommendation.KEEP
    with pytest.raises(PermissionDenied, match="评估建议"):
        save_answers(evaluation, clerk, ["recommendation"], now=NOW)


def test_a_withdrawal_needs_a_reason():
    evaluation = ItemEvaluationFactory()
    office = user_in(REFORM_OFFICE)
    evaluation.recommendation = Recommendation.WITHDRAW
    with pytest.raises(ValidationError, match="必须填写建议理由"):
        save_answers(evaluation, office, ["recommendation"], now=NOW)


def test_in_the_admin_a_clerk_sees_and_answers_only_their_own_department(client):
    mine = ItemEvaluationFactory(item__name="本部门事项")
    theirs = ItemEvaluationFactory(item__name="他部门事项")
    clerk = user_in(DEPARTMENT_STAFF, mine.county_department)
    client.force_login(clerk)
    listed = client.get(reverse("admin:evaluation_itemevaluation_changelist")).content.decode()
    assert "本部门事项" in listed and "他部门事项" not in listed
    assert client.get(change_url(theirs)).status_code == 403
    page = client.get(change_url(mine)).content.decode()
    # Only the self-assessment is a form field for the clerk.
    assert 'name="capacity"' in page and 'name="recommendation"' not in page
    assert 'name="city_comment"' not in page
    response = client.post(
        change_url(mine),
        {
            "capacity": "yes",
            "staffing": "专职3人",
            "training_received": "",
            "problems": "",
            # The change form's history mark (devolution.edit_conflicts).
            "opened_history_id": history_mark(mine),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.capacity, mine.assessed_by) == ("yes", clerk)
    # Posting another department's evaluation changes nothing.
    response = client.post(change_url(theirs), {"capacity": "no"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.capacity == ""


def test_in_the_admin_a_city_department_comments_only_on_the_items_it_gave(client):
    mine = ItemEvaluationFactory(item__name="本市直部门下放事项")
    theirs = ItemEvaluationFactory(item__name="他部门下放事项")
    city_clerk = user_in(CITY_STAFF, mine.city_department)
    client.force_login(city_clerk)
    listed = client.get(reverse("admin:evaluation_itemevaluation_changelist")).content.decode()
    assert "本市直部门下放事项" in listed and "他部门下放事项" not in listed
    assert client.get(change_url(theirs)).status_code == 403
    page = client.get(change_url(mine)).content.decode()
    # The comment is the city department's only form field: not the county's self-assessment,
    # not the office's recommendation.
    assert 'name="city_comment"' in page
    assert 'name="capacity"' not in page and 'name="recommendation"' not in page
    response = client.post(
        change_url(mine),
        {"city_comment": "已派员指导，建议保留", "opened_history_id": history_mark(mine)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.city_comment, mine.commented_by) == ("已派员指导，建议保留", city_clerk)
    assert mine.commented_at is not None and mine.capacity == ""
    assert client.post(change_url(theirs), {"city_comment": "越权"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.city_comment == ""


def test_the_office_recommends_in_the_admin_and_a_missing_reason_is_a_chinese_error(client):
    evaluation = ItemEvaluationFactory()
    office = user_in(REFORM_OFFICE)
    client.force_login(office)
    opened = history_mark(evaluation)
    response = client.post(
        change_url(evaluation), {"recommendation": "withdraw", "opened_history_id": opened}
    )
    assert response.status_code == 200
    assert "必须填写建议理由" in response.content.decode()
    response = client.post(
        change_url(evaluation),
        {
            "recommendation": "withdraw",
            "recommendation_reason": "三年未办件",
            "legal_review_note": "",
            "opened_history_id": opened,
        },
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.recommendation, evaluation.recommended_by) == ("withdraw", office)


def verdict(evaluation, kind, reason=""):
    evaluation.recommendation = kind
    evaluation.recommendation_reason = reason
    save_answers(evaluation, user_in(REFORM_OFFICE, name="office"), ["recommendation"], now=NOW)


def test_closing_a_round_with_two_withdrawals_lists_exactly_those_two():
    first, second, kept, adjusted = ItemEvaluationFactory.create_batch(4)
    verdict(first, Recommendation.WITHDRAW, "期间未办件")
    verdict(second, Recommendation.WITHDRAW, "专业性强，县无力承接")
    verdict(kept, Recommendation.KEEP)
    verdict(adjusted, Recommendation.ADJUST, "拆分为两个子项")
    evaluation_round = first.round
    close_round(evaluation_round, UserFactory(username="closer"), TODAY)
    evaluation_round.refresh_from_db()
    assert evaluation_round.status == EvaluationRound.Status.CLOSED
    assert evaluation_round.closed_on == TODAY
    changes = list_changes(evaluation_round)
    withdrawals = {item for kind, item, _ in changes if kind == Recommendation.WITHDRAW}
    assert withdrawals == {first.item, second.item}
    assert [item for kind, item, _ in changes if kind == Recommendation.ADJUST] == [adjusted.item]


def test_closing_a_round_with_two_withdrawals_drafts_exactly_those_two_withdrawals():
    first, second, kept = ItemEvaluationFactory.create_batch(3)
    verdict(first, Recommendation.WITHDRAW, "期间未办件")
    verdict(second, Recommendation.WITHDRAW, "专业性强，县无力承接")
    verdict(kept, Recommendation.KEEP)
    closer = user_in(REFORM_OFFICE, name="closer")
    draft = close_round(first.round, closer, TODAY)
    assert draft.status == Adjustment.Status.DRAFT and draft.created_by == closer
    assert draft.department is None  # the office's, for the whole list
    assert sorted(draft.changes.values_list("kind", "item", "note", "accepted")) == sorted(
        [
            (ChangeKind.WITHDRAW, first.item_id, "期间未办件", True),
            (ChangeKind.WITHDRAW, second.item_id, "专业性强，县无力承接", True),
        ]
    )
    first.round.refresh_from_db()
    assert first.round.adjustment_reference == str(draft)
    # Nothing leaves the list until the draft is reviewed and published.
    assert DevolvedItem.objects.current().filter(pk=first.item_id).exists()


def test_an_adjust_recommendation_becomes_a_change_still_to_be_worked_out():
    adjusted = ItemEvaluationFactory()
    verdict(adjusted, Recommendation.ADJUST, "拆分为两个子项")
    draft = close_round(adjusted.round, user_in(REFORM_OFFICE, name="closer"), TODAY)
    (change,) = draft.changes.all()
    assert (change.kind, change.accepted, change.values) == (ChangeKind.CHANGE, False, {})
    assert accept_changes(draft, draft.changes.all()) == 0  # no values yet: not accepted
    revise_change(change, {"sub_item": "甲子项"})
    change.refresh_from_db()
    assert change.accepted and change.previous == {"sub_item": ""}


def test_a_round_closes_only_when_every_item_has_a_recommendation_and_then_takes_no_answers():
    evaluation, pending = ItemEvaluationFactory.create_batch(2)
    verdict(evaluation, Recommendation.KEEP)
    with pytest.raises(ValidationError, match="还有 1 个事项没有评估建议"):
        close_round(evaluation.round, UserFactory(), TODAY)
    office = user_in(REFORM_OFFICE)
    assert recommend_keep(evaluation.round.evaluations.all(), office, now=NOW) == 1
    close_round(evaluation.round, office, TODAY)
    pending.refresh_from_db()
    pending.problems = "迟到的自评"
    with pytest.raises(ValidationError, match="评估已结束"):
        save_answers(pending, user_in(DEPARTMENT_STAFF, pending.county_department), ["problems"])
    with pytest.raises(ValidationError, match="已经结束"):
        close_round(evaluation.round, office, TODAY)
