"""The custody of a seal, step by step, and the city approval bureau's takeover of approval seals.

The admin, commands and any other caller go through these functions; each writes the custody
event and the status change together, or nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from devolution.models import Department, approval_bureau
from items.models import APPROVAL_POWER_TYPES, DevolvedItem

from .models import LIVE_STATUSES, Seal, SealCustodyEvent, SealKind, SealStatus

# engraved → delivered → distributed → enabled, one step at a time.
FORWARD = {
    SealStatus.ENGRAVED: SealStatus.DELIVERED,
    SealStatus.DELIVERED: SealStatus.DISTRIBUTED,
    SealStatus.DISTRIBUTED: SealStatus.ENABLED,
}


# Who records each custody step (notice 五(三)): the issuing city department engraves its seals,
# delivers them to the county government and recalls them; the county side distributes them to
# the receiving departments and enables them. The reform office and operators record any step.
STEPS_BY_LEVEL = {
    Department.Level.CITY: (SealStatus.ENGRAVED, SealStatus.DELIVERED, SealStatus.SEALED_AWAY),
    Department.Level.COUNTY: (SealStatus.DISTRIBUTED, SealStatus.ENABLED),
}


def steps_recorded_by(department):
    """The custody steps `department`'s staff record (every step for None)."""
    if department is None:
        return tuple(SealStatus)
    return STEPS_BY_LEVEL[department.level]


def next_steps(seal, engraving_recorded):
    """The steps that may be recorded next for `seal`.

    A seal is created as engraved; its engraving (date, person) may be recorded once, while it is
    still at that step. 收回并封存 may follow any live state, not only an enabled seal: the notice
    recalls the departments' approval seals when the bureau takes over, and a seal still on its way
    (engraved, delivered or distributed but never enabled) must be taken out of circulation just
    the same, or it could be enabled after its replacement.
    """
    status = SealStatus(seal.status)
    if status not in LIVE_STATUSES:
        return []
    steps = []
    if status == SealStatus.ENGRAVED and not engraving_recorded:
        steps.append(SealStatus.ENGRAVED)
    if status in FORWARD:
        steps.append(FORWARD[status])
    steps.append(SealStatus.SEALED_AWAY)
    return steps


def step_refusal(seal, step, on):
    """Why `step` may not be recorded for `seal` on `on`, in Chinese; None if it may."""
    if step not in SealStatus.values:
        return f"没有“{step}”这个印章流转环节。"
    step = SealStatus(step)
    events = list(
        seal.custody_events.order_by("-happened_on", "-id").values_list("step", "happened_on")
    )
    allowed = next_steps(seal, engraving_recorded=any(e[0] == SealStatus.ENGRAVED for e in events))
    current = seal.get_status_display()
    if step not in allowed:
        if not allowed:
            return f"「{seal}」已收回封存，不能再登记“{step.label}”。"
        choices = "或".join(f"“{s.label}”" for s in allowed)
        return f"「{seal}」当前环节为“{current}”，不能登记“{step.label}”：下一步只能是{choices}。"
    if events and on < events[0][1]:
        last_step, last_on = events[0]
        return (
            f"“{step.label}”的日期{on}早于上一环节“{SealStatus(last_step).label}”的日期{last_on}。"
        )
    return None


def advance_seal(seal, step, on, person, note=""):
    """Record one custody step of `seal` and move it to that state; a wrong step changes nothing.

    Raises ValidationError naming the current and the requested step.
    """
    person = (person or "").strip()
    if not person:
        raise ValidationError("请填写经办人。", code="person_missing")
    with transaction.atomic():
        locked = Seal.objects.select_for_update().get(pk=seal.pk)
        refusal = step_refusal(locked, step, on)
        if refusal:
            raise ValidationError(refusal, code="wrong_step")
        event = SealCustodyEvent.objects.create(
            seal=locked, step=step, happened_on=on, person=person, note=note
        )
        if locked.status != step:
            locked.status = step
            locked.save(update_fields=["status"])
    seal.status = locked.status
    return event


def late_deliveries(today):
    """Seals the city delivered to the county after their deadline, or has not delivered by
    `today` although the deadline has passed; each annotated with `delivered_on` (or None).

    A seal sealed away before it was ever delivered is no longer owed, so it is not late.
    """
    delivered_on = SealCustodyEvent.objects.filter(
        seal=OuterRef("pk"), step=SealStatus.DELIVERED
    ).values("happened_on")[:1]
    return (
        Seal.objects.filter(delivery_due_on__isnull=False)
        .annotate(delivered_on=Subquery(delivered_on))
        .filter(
            Q(delivered_on__gt=F("delivery_due_on"))
            | Q(
                delivered_on__isnull=True,
                status=SealStatus.ENGRAVED,
                delivery_due_on__lt=today,
            )
        )
    )


def bureau_seal_name(number):
    return f"盘锦市行政审批局审批专用章({number})"


def switch_to_approval_bureau(plan, on, person, number="X", note=""):
    """Record that 盘锦市行政审批局 has engraved its approval seal for the county under `plan`.

    In one transaction: every live departmental approval seal of the plan is recalled and sealed
    away (a custody event each), and the bureau's seal is engraved for each county department
    that held one or has approval items in the plan. The bureau's seal is one seal for the
    county, but each receiving department keeps and answers for the copy it stamps with
    ("谁盖章谁负责"), so it is recorded once per holding department, named with the holder.
    Non-approval seals are not touched. The new seals then go through delivery, distribution and
    enabling like any other; until one is enabled its department's approval items cannot be
    stamped. Returns the bureau's new seals.
    """
    bureau = approval_bureau()
    if bureau is None:
        raise ValidationError(
            "系统中没有标记为市行政审批局的部门，请先在部门中标记盘锦市行政审批局。"
        )
    person = (person or "").strip()
    if not person:
        raise ValidationError("请填写经办人。", code="person_missing")
    with transaction.atomic():
        departmental = list(
            Seal.objects.live()
            .select_for_update()
            .filter(plan=plan, kind=SealKind.APPROVAL)
            .exclude(issuer=bureau)
            .select_related("holder")
            .order_by("id")
        )
        if Seal.objects.filter(plan=plan, kind=SealKind.APPROVAL, issuer=bureau).exists():
            raise ValidationError(
                f"{plan}已登记过市行政审批局审批专用章，不能重复切换。", code="already_switched"
            )
        holder_ids = {seal.holder_id for seal in departmental} | set(
            DevolvedItem.objects.current()
            .filter(plan=plan, power_type__in=APPROVAL_POWER_TYPES)
            .values_list("county_department_id", flat=True)
        )
        if not holder_ids:
            raise ValidationError(f"{plan}没有审批类事项，也没有审批专用章，无需切换。")
        recall_note = f"市行政审批局审批专用章刻制，按通知收回并封存。{note}".strip()
        for seal in departmental:
            advance_seal(seal, SealStatus.SEALED_AWAY, on, person, recall_note)
        new_seals = []
        holders = Department.objects.filter(pk__in=holder_ids).order_by("sort_order", "id")
        for holder in holders:
            seal = Seal.objects.create(
                plan=plan,
                name=f"{bureau_seal_name(number)}（{holder.short_name}）",
                kind=SealKind.APPROVAL,
                issuer=bureau,
                holder=holder,
                note=note,
            )
            advance_seal(seal, SealStatus.ENGRAVED, on, person, note)
            new_seals.append(seal)
    return new_seals
