"""The admin index's count of adjustments waiting for the reviewer (items.adjustments)."""

from django import template

from items.adjustments import awaiting_review

register = template.Library()


@register.simple_tag
def awaiting_review_count(user):
    """How many adjustments wait for `user`'s review; None for a user who does not review."""
    if not user.has_perm("items.review_adjustment"):
        return None
    return awaiting_review(user).count()
