"""The custody of a seal, step by step, and the city approval bureau's takeover of approval seals.

Every door that records custody (the admin's custody actions, the custody-event page, the
approval-bureau page) goes through these functions; each writes the custody event and the status
change together, or nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from devolution.models import Department, approval_bureau

from .models import LIVE_STATUSES, ApprovalTransfer, Seal, SealCustodyEvent, SealKind, SealStatus

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
        refusal = step_refusal(locked, step, on) or locked.issuer.founding_refusal(
            on, f"“{SealStatus(step).label}”"
        )
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


def advance_seals(seals, step, on, person, note=""):
    """Record one custody step for a batch of seals: all of them, or none. Raises one
    ValidationError carrying every seal's refusal."""
    refusals = []
    with transaction.atomic():
        for seal in seals:
            try:
                advance_seal(seal, step, on, person, note)
            except ValidationError as error:
                refusals.extend(error.error_list)
        if refusals:
            transaction.set_rollback(True)
    if refusals:
        raise ValidationError(refusals)


def check_own_seal(seal, department):
    """A department's staff stamp only with the seals their department holds (`department`
    None: the user reaches every department), or the county-wide seal the whole county uses."""
    if department is not None and not seal.county_wide and seal.holder_id != department.pk:
        raise ValidationError(
            f"只能使用本部门（{department}）保管的印章，「{seal}」不属于本部门。",
            code="not_your_seal",
        )


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


def the_bureau(on):
    """盘锦市行政审批局, refusing a date before its founding (or before it is registered)."""
    bureau = approval_bureau()
    if bureau is None:
        raise ValidationError(
            "系统中没有标记为市行政审批局的部门，请先在部门中标记盘锦市行政审批局。"
        )
    if bureau.founded_on is None:
        raise ValidationError(f"请先在部门中登记{bureau}的成立日期。", code="bureau_not_founded")
    refusal = bureau.founding_refusal(on, "记录")
    if refusal:
        raise ValidationError(refusal, code="before_founding")
    return bureau


def engrave_bureau_seal(plan, on, person, number, note=""):
    """Record 盘锦市行政审批局's approval seal for the county under `plan`: one seal that the
    whole county uses ("县统一使用"), numbered as the bureau numbered it. It then goes through
    delivery, distribution and enabling like any other seal."""
    number = (number or "").strip()
    if not number or number.upper() == "X":
        raise ValidationError("请填写市行政审批局审批专用章的实际编号。", code="number_missing")
    with transaction.atomic():
        bureau = the_bureau(on)
        if Seal.objects.live().filter(plan=plan, kind=SealKind.APPROVAL, county_wide=True).exists():
            raise ValidationError(
                f"{plan}已登记市行政审批局审批专用章，不能重复刻制。", code="already_engraved"
            )
        seal = Seal.objects.create(
            plan=plan,
            name=bureau_seal_name(number),
            kind=SealKind.APPROVAL,
            issuer=bureau,
            holder=None,
            county_wide=True,
            note=note,
        )
        advance_seal(seal, SealStatus.ENGRAVED, on, person, note)
    return seal


def transfer_approval_power(city_departments, on, person, note=""):
    """Record that the approval power of each of `city_departments` moved to the bureau on
    `on`: their live departmental approval seals, of every plan, are recalled and sealed away
    (a custody event each); the other departments' seals and every non-approval seal stay as
    they are. All of it, or nothing. Returns the seals sealed away."""
    person = (person or "").strip()
    if not person:
        raise ValidationError("请填写经办人。", code="person_missing")
    with transaction.atomic():
        bureau = the_bureau(on)
        sealed = []
        for department in city_departments:
            if department.pk == bureau.pk or department.level != Department.Level.CITY:
                raise ValidationError(f"{department}不是可划转审批权的市直部门。")
            if ApprovalTransfer.objects.filter(city_department=department).exists():
                raise ValidationError(
                    f"{department}的审批权已经划转，不能重复登记。", code="already_transferred"
                )
            ApprovalTransfer.objects.create(
                city_department=department, transferred_on=on, person=person, note=note
            )
            recall_note = f"{department}审批权划转市行政审批局，按通知收回并封存。{note}".strip()
            for seal in (
                Seal.objects.live().filter(issuer=department, kind=SealKind.APPROVAL).order_by("id")
            ):
                advance_seal(seal, SealStatus.SEALED_AWAY, on, person, recall_note)
                sealed.append(seal)
    return sealed
