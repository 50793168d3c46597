"""Pages cite the plan by its stored title and document number, never a typed-in title."""

from django import template

from devolution.models import Plan

from .. import revision

register = template.Library()


def plan_citation_text():
    """《title》（doc number） of each stored plan, newest first; kept in the cache for the
    registry's current data revision, so a page pays no query for it once warm."""
    key = f"public:plan-citation:{revision.current()['token']}"
    text = revision.cache_call("get", key)
    if text is None:
        text = "；".join(
            f"《{title}》（{doc_number}）"
            for title, doc_number in Plan.objects.order_by("-issued_on").values_list(
                "title", "doc_number"
            )
        )
        revision.cache_call("set", key, text, revision.CACHE_TIMEOUT)
    return text


@register.simple_tag
def plan_citation():
    return plan_citation_text()
