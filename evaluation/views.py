"""The admin's round report and the round's .xlsx evaluation table; EvaluationRoundAdmin
checks the reach and passes the evaluations the user may see."""

import tempfile

from django.http import FileResponse
from django.template.response import TemplateResponse

from . import reports
from .charts import month_chart
from .export import write_round

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def round_report(request, evaluation_round, evaluations, context):
    grid = reports.stamps_per_month(evaluation_round, evaluations)
    context.update(
        title=f"评估报告：{evaluation_round.title}",
        evaluation_round=evaluation_round,
        totals=reports.totals(evaluations),
        departments=reports.by_department(evaluations),
        power_types=reports.by_power_type(evaluations),
        withdrawals=reports.withdrawals(evaluations),
        chart=month_chart("各承接部门每月用印次数", grid),
    )
    return TemplateResponse(request, "admin/evaluation/report.html", context)


def round_export(evaluation_round, evaluations):
    names = evaluations.order_by().values_list("county_department__short_name", flat=True)
    departments = set(names.distinct()[:2])
    label = departments.pop() if len(departments) == 1 else "全部承接部门"
    spool = tempfile.TemporaryFile()
    write_round(evaluation_round, evaluations, spool, department_label=label)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"评估表-{evaluation_round.pk}.xlsx",
        content_type=XLSX,
    )
