"""The evidence of a round, computed by the registry from what it already holds.

Set-based: one UPDATE fills in every evaluation of a round from grouped subqueries over stamps,
代办/帮办, handovers, training periods, deadline flags and accountability records, so the number
of queries is the same for 30 items or 300,000. The SQL is written out because Django's ORM
cannot join an UPDATE to grouped derived tables, and the correlated-subquery form it can express
runs one subquery per row and field (see bench/evaluation.py). The statement is plain SQL that
PostgreSQL and SQLite (3.33+, UPDATE … FROM) both run.

What each figure means (all relative to the round's period):
- stamps: SealUsage of the item dated within the period; by route 本市办结 / 报省办结; first and
  last date. latest_stamp_on is the last stamp on or before the period's end, however old.
- handover and training: the handover of the item's plan and department pair (the departments
  recorded on the evaluation) and its training period. Handover on time: completed on or
  before its due date. Training on time: the county was confirmed 接得住 by the period's end
  date at the latest; unknown (NULL) while the period has not ended unconfirmed.
- 代办/帮办: TrainingAssistance records of the item that overlap the period.
- flags: DeadlineFlags found by the period's end on the handover, its training period, or the
  seals the item's city department engraved for its county department in the item's plan;
  open = not resolved by the period's end.
- accountability: records against the item's county department decided within the period.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from handover.models import DeadlineFlag, Handover, TrainingAssistance, TrainingPeriod
from items.models import DevolvedItem
from seals.models import Seal, SealUsage
from supervision.models import Accountability

from .models import ItemEvaluation

# The evaluation's columns this module writes, in the order the SELECT below yields them.
EVIDENCE_FIELDS = [
    "stamps_count",
    "stamps_city_count",
    "stamps_province_count",
    "first_stamp_on",
    "last_stamp_on",
    "latest_stamp_on",
    "handed_over_on",
    "handover_due_on",
    "handover_on_time",
    "training_ends_on",
    "training_confirmed_on",
    "training_on_time",
    "acting_count",
    "assisting_count",
    "open_flags_count",
    "resolved_flags_count",
    "accountability_count",
]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def evidence_sql(evaluation_round):
    """The SELECT giving, per evaluation of the round, its evidence columns; and its params."""
    period_from, period_to = evaluation_round.period_from, evaluation_round.period_to
    content_types = ContentType.objects.get_for_models(Handover, TrainingPeriod, Seal)
    sql = f"""
        SELECT e.id AS evaluation_id,
            COALESCE(st.stamps, 0) AS stamps_count,
            COALESCE(st.city, 0) AS stamps_city_count,
            COALESCE(st.province, 0) AS stamps_province_count,
            st.first_on AS first_stamp_on,
            st.last_on AS last_stamp_on,
            st.latest_on AS latest_stamp_on,
            h.completed_on AS handed_over_on,
            h.due_on AS handover_due_on,
            CASE WHEN h.completed_on IS NULL OR h.due_on IS NULL THEN NULL
                 WHEN h.completed_on <= h.due_on THEN TRUE ELSE FALSE END AS handover_on_time,
            t.ends_on AS training_ends_on,
            t.confirmed_on AS training_confirmed_on,
            CASE WHEN t.id IS NULL THEN NULL
                 WHEN t.confirmed_on IS NOT NULL AND t.confirmed_on <= %(to)s
                      THEN (CASE WHEN t.confirmed_on <= t.ends_on THEN TRUE ELSE FALSE END)
                 WHEN t.ends_on < %(to)s THEN FALSE
                 ELSE NULL END AS training_on_time,
            COALESCE(a.acting, 0) AS acting_count,
            COALESCE(a.assisting, 0) AS assisting_count,
            COALESCE(fl.open_flags, 0) AS open_flags_count,
            COALESCE(fl.resolved_flags, 0) AS resolved_flags_count,
            COALESCE(acc.records, 0) AS accountability_count
        FROM {_table(ItemEvaluation)} e
        JOIN {_table(DevolvedItem)} i ON i.id = e.item_id
        LEFT JOIN (
            SELECT item_id,
                SUM(CASE WHEN stamped_on >= %(from)s THEN 1 ELSE 0 END) AS stamps,
                SUM(CASE WHEN stamped_on >= %(from)s AND route = 'city' THEN 1 ELSE 0 END)
                    AS city,
                SUM(CASE WHEN stamped_on >= %(from)s AND route = 'province' THEN 1 ELSE 0 END)
                    AS province,
                MIN(CASE WHEN stamped_on >= %(from)s THEN stamped_on END) AS first_on,
                MAX(CASE WHEN stamped_on >= %(from)s THEN stamped_on END) AS last_on,
                MAX(stamped_on) AS latest_on
            FROM {_table(SealUsage)}
            WHERE stamped_on <= %(to)s
            GROUP BY item_id
        ) st ON st.item_id = e.item_id
        LEFT JOIN {_table(Handover)} h
            ON h.plan_id = i.plan_id
            AND h.city_department_id = e.city_department_id
            AND h.county_department_id = e.county_department_id
        LEFT JOIN {_table(TrainingPeriod)} t ON t.handover_id = h.id
        LEFT JOIN (
            SELECT item_id,
                SUM(CASE WHEN mode = 'acting' THEN 1 ELSE 0 END) AS acting,
                SUM(CASE WHEN mode = 'assisting' THEN 1 ELSE 0 END) AS assisting
            FROM {_table(TrainingAssistance)}
            WHERE starts_on <= %(to)s AND (ends_on IS NULL OR ends_on >= %(from)s)
            GROUP BY item_id
        ) a ON a.item_id = e.item_id
        LEFT JOIN (
            SELECT plan_id, city_id, county_id,
                SUM(CASE WHEN resolved_on IS NULL OR resolved_on > %(to)s THEN 1 ELSE 0 END)
                    AS open_flags,
                SUM(CASE WHEN resolved_on <= %(to)s THEN 1 ELSE 0 END) AS resolved_flags
            FROM (
                SELECT h2.plan_id, h2.city_department_id AS city_id,
                    h2.county_department_id AS county_id, f.resolved_on
                FROM {_table(DeadlineFlag)} f
                JOIN {_table(Handover)} h2 ON f.object_id = h2.id
                WHERE f.content_type_id = %(handover_type)s AND f.found_on <= %(to)s
                UNION ALL
                SELECT h3.plan_id, h3.city_department_id, h3.county_department_id,
                    f.resolved_on
                FROM {_table(DeadlineFlag)} f
                JOIN {_table(TrainingPeriod)} t3 ON f.object_id = t3.id
                JOIN {_table(Handover)} h3 ON h3.id = t3.handover_id
                WHERE f.content_type_id = %(training_type)s AND f.found_on <= %(to)s
                UNION ALL
                SELECT s.plan_id, s.issuer_id, s.holder_id, f.resolved_on
                FROM {_table(DeadlineFlag)} f
                JOIN {_table(Seal)} s ON f.object_id = s.id
                WHERE f.content_type_id = %(seal_type)s AND f.found_on <= %(to)s
            ) pair_flags
            GROUP BY plan_id, city_id, county_id
        ) fl ON fl.plan_id = i.plan_id
            AND fl.city_id = e.city_department_id
            AND fl.county_id = e.county_department_id
        LEFT JOIN (
            SELECT department_id, COUNT(*) AS records
            FROM {_table(Accountability)}
            WHERE decided_on >= %(from)s AND decided_on <= %(to)s
            GROUP BY department_id
        ) acc ON acc.department_id = e.county_department_id
        WHERE e.round_id = %(round)s
    """
    params = {
        "round": evaluation_round.pk,
        "from": period_from,
        "to": period_to,
        "handover_type": content_types[Handover].pk,
        "training_type": content_types[TrainingPeriod].pk,
        "seal_type": content_types[Seal].pk,
    }
    return sql, params


def fill_evidence(evaluation_round):
    """Compute and store the evidence of every evaluation of the round: one UPDATE."""
    select, params = evidence_sql(evaluation_round)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(name)} = s.{name}" for name in EVIDENCE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(ItemEvaluation)} SET {assignments} "
            f"FROM ({select}) s WHERE {_table(ItemEvaluation)}.id = s.evaluation_id",
            params,
        )
        return cursor.rowcount
