from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def overdue_rows(context, rows):
    """The table rows of 逾期一览 as one piece of escaped HTML: the page lists every open flag,
    and thousands of rows through the template engine's per-variable rendering cost seconds.
    Dates read as the template writes them ({{ date }}, localized), formatted once per day and
    page (the cache lives in the render context)."""
    dates = context.render_context.setdefault("overdue_dates", {})

    def day(value):
        if value not in dates:
            dates[value] = escape(localize(value))
        return dates[value]

    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{escape(row.url)}">{escape(row.record or f"#{row.object_id}")}</a>'
            f"</td><td>{escape(row.county_department or '-')}</td><td>{day(row.due_on)}</td>"
            f"<td>{row.days_overdue}</td><td>{day(row.found_on)}</td>"
            f"<td>{escape(row.notice_state)}{'；已报监察督查' if row.escalated else ''}</td></tr>"
            for row in rows
        )
    )
