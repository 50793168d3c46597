"""The evaluation workflow: open a round, answer it, recommend, close it. Every door (admin,
commands, tests, the benchmark) calls these functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from items import adjustments
from items.models import ChangeKind, DevolvedItem

from .evidence import fill_evidence
from .models import EvaluationRound, ItemEvaluation, Recommendation

# The answer sections: who may give each, and the fields that make it up.
ASSESSMENT_FIELDS = ("capacity", "staffing", "training_received", "problems")
COMMENT_FIELDS = ("city_comment",)
VERDICT_FIELDS = ("recommendation", "recommendation_reason", "legal_review_note")
SECTIONS = {
    # permission: (fields, signed-by field, signed-at field)
    "evaluation.assess_itemevaluation": (ASSESSMENT_FIELDS, "assessed_by", "assessed_at"),
    "evaluation.comment_itemevaluation": (COMMENT_FIELDS, "commented_by", "commented_at"),
    "evaluation.recommend_itemevaluation": (VERDICT_FIELDS, "recommended_by", "recommended_at"),
}


def answerable_fields(user):
    """The evaluation fields a user's role lets them answer."""
    return [
        name
        for permission, (fields, _, _) in SECTIONS.items()
        if user.has_perm(permission)
        for name in fields
    ]


def open_round(title, period_from, period_to, by, today):
    """Open a round for the period and create one evaluation per current devolved item, with
    its evidence and a first history row: a fixed number of queries for any number of items."""
    evaluation_round = EvaluationRound(
        title=title,
        period_from=period_from,
        period_to=period_to,
        opened_on=today,
        opened_by=by,
    )
    evaluation_round.full_clean()
    refusal = period_refusal(period_to, today)
    if refusal:
        raise ValidationError({"period_to": refusal})
    with transaction.atomic():
        if EvaluationRound.objects.open().select_for_update().exists():
            raise ValidationError("已有一轮评估正在进行，请先结束它。")
        evaluation_round.save()
        _create_evaluations(evaluation_round)
        fill_evidence(evaluation_round)
        evaluation_round.evidence_computed_at = timezone.now()
        evaluation_round.save(update_fields=["evidence_computed_at"])
        _record_history(evaluation_round, "+", by, "开始评估")
    return evaluation_round


def period_refusal(period_to, today):
    """Why a round may not review a period ending on `period_to` when opened on `today`."""
    if period_to is not None and period_to > today:
        return f"评估期间不能晚于开始评估的当日（{today}）：期间尚未结束，证据还不完整。"
    return None


def refresh_evidence(evaluation_round, by):
    """Recompute the evidence of an open round (a late stamp, a resolved flag): one UPDATE and
    a history row per evaluation."""
    if not evaluation_round.is_open:
        raise ValidationError("评估已结束，证据不再更新。")
    with transaction.atomic():
        fill_evidence(evaluation_round)
        evaluation_round.evidence_computed_at = timezone.now()
        evaluation_round.save(update_fields=["evidence_computed_at"])
        _record_history(evaluation_round, "~", by, "重新计算证据")


def _create_evaluations(evaluation_round):
    """INSERT … SELECT from the current items: one statement, no rows through Python."""
    source = (
        DevolvedItem.objects.current()
        .order_by()
        .values_list("id", "county_department_id", "city_department_id")
    )
    select, select_params = source.query.sql_with_params()
    defaults = [
        field
        for field in ItemEvaluation._meta.concrete_fields
        if field.attname not in ("id", "round_id", "item_id", "county_department_id")
        and field.attname != "city_department_id"
    ]
    quote = connection.ops.quote_name
    columns = ["item_id", "county_department_id", "city_department_id", "round_id"]
    columns += [field.column for field in defaults]
    values = [evaluation_round.pk] + [
        field.get_db_prep_save(field.get_default(), connection) for field in defaults
    ]
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ItemEvaluation._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) "
            f"SELECT src.*, {placeholders} FROM ({select}) src",
            (*select_params, *values),
        )


def _record_history(evaluation_round, history_type, user, reason):
    """One history row per evaluation of the round, copied in the database (simple-history's
    own bulk helpers would bring every row through Python)."""
    history_model = ItemEvaluation.history.model
    quote = connection.ops.quote_name
    columns = [field.column for field in ItemEvaluation._meta.concrete_fields]
    history_columns = [*columns, "history_date", "history_change_reason", "history_type"]
    history_columns.append("history_user_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history_model._meta.db_table)} "
            f"({', '.join(quote(c) for c in history_columns)}) "
            f"SELECT {', '.join(quote(c) for c in columns)}, %s, %s, %s, %s "
            f"FROM {quote(ItemEvaluation._meta.db_table)} WHERE round_id = %s",
            [timezone.now(), reason, history_type, getattr(user, "pk", None), evaluation_round.pk],
        )


def save_answers(evaluation, user, changed, now=None):
    """Sign the sections of `evaluation` whose fields in `changed` the user answered, and
    save. A closed round takes no answers; a field outside the user's role is refused."""
    if not evaluation.round.is_open:
        raise ValidationError("评估已结束，不能再修改。")
    allowed = set(answerable_fields(user))
    refused = [name for name in changed if name not in allowed]
    if refused:
        raise PermissionDenied("无权填写：" + "、".join(_verbose(name) for name in refused))
    now = now or timezone.now()
    for fields, by_field, at_field in SECTIONS.values():
        if set(fields) & set(changed):
            setattr(evaluation, by_field, user)
            setattr(evaluation, at_field, now)
    evaluation.full_clean()
    # The history row names the person who answered, whichever door they came through.
    evaluation._history_user = user
    evaluation.save()


def recommend_keep(evaluations, user, now=None):
    """保留 for every evaluation among these that has no recommendation yet (open rounds only);
    the office's quick verdict for the items nobody questions. Returns how many."""
    now = now or timezone.now()
    pending = list(evaluations.filter(recommendation="", round__status=EvaluationRound.Status.OPEN))
    for evaluation in pending:
        evaluation.recommendation = Recommendation.KEEP
        evaluation.recommended_by = user
        evaluation.recommended_at = now
    bulk_update_with_history(
        pending,
        ItemEvaluation,
        ["recommendation", "recommended_by", "recommended_at"],
        default_user=user,
        default_change_reason="建议保留",
    )
    return len(pending)


def _verbose(name):
    return str(ItemEvaluation._meta.get_field(name).verbose_name)


def close_round(evaluation_round, by, today):
    """Close a round whose every item has a recommendation, and draft the list adjustment its
    调整 and 收回 recommendations call for. Returns the draft (or None if none was needed)."""
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
        if not locked.is_open:
            raise ValidationError("这一轮评估已经结束。")
        pending = locked.evaluations.unanswered().count()
        if pending:
            raise ValidationError(f"还有 {pending} 个事项没有评估建议，不能结束评估。")
        locked.status = EvaluationRound.Status.CLOSED
        locked.closed_by = by
        locked.closed_on = today
        draft = draft_adjustment_for(locked, by)
        locked.adjustment_reference = str(draft)[:100] if draft is not None else ""
        locked.save()
    evaluation_round.refresh_from_db()
    return draft


def list_changes(evaluation_round):
    """The 调整 and 收回 recommendations of a round, as (kind, item, reason) for the draft."""
    return [
        (evaluation.recommendation, evaluation.item, evaluation.recommendation_reason)
        for evaluation in evaluation_round.evaluations.filter(
            recommendation__in=[Recommendation.ADJUST, Recommendation.WITHDRAW]
        )
        .select_related("item")
        .order_by("item__sequence", "item_id")
    ]


def draft_adjustment_for(evaluation_round, by):
    """The one link to the items app's 动态调整 workflow: a draft adjustment with one 收回 per
    withdrawal recommendation and one 变更 per 调整 (its new values still to be worked out by
    the office, so not accepted yet), each with the recommendation's reason. None if the round
    recommends neither. The draft then goes through review and publication like any other."""
    changes = list_changes(evaluation_round)
    if not changes:
        return None
    draft = adjustments.draft(
        f"{evaluation_round.title}：评估建议的清单调整",
        by,
        reason=f"根据{evaluation_round.title}的评估建议（收回、调整）起草。",
        whole_list=True,
    )
    for recommendation, item, reason in changes:
        if recommendation == Recommendation.WITHDRAW:
            adjustments.add_change(draft, ChangeKind.WITHDRAW, item=item, note=reason)
        else:
            adjustments.add_change(draft, ChangeKind.CHANGE, item=item, note=reason, accepted=False)
    return draft
