"""Under the Content Security Policy (style-src 'self') an inline style is not applied: the
history pages, and every public page, carry none and are styled from static files."""

import re

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

pytestmark = pytest.mark.django_db

INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)


def history_pages():
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/history/"
        yield base
        row = record.history.order_by("pk").first()
        if row is not None:
            yield f"{base}{row.pk}/"


def test_history_pages_carry_no_inline_style(admin_client_logged_in, registry):
    from items.models import DevolvedItem

    item = DevolvedItem.objects.order_by("pk").first()
    item.note = "改一处，使历史有两行"
    item.save()
    pages = list(history_pages())
    assert len(pages) >= 5
    for url in pages:
        response = admin_client_logged_in.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_STYLE.search(html), url
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert "/static/devolution/admin.css" in html
    html = admin_client_logged_in.get(f"/admin/items/devolveditem/{item.pk}/history/").content
    # Inside the element Django's admin CSS styles (#change-history table …).
    assert re.search(rb'<div id="change-history">\s*<table', html)


def test_public_pages_carry_no_inline_style(client, registry):
    from devolution.models import Department
    from items.models import CancelledApproval, DevolvedItem

    urls = [
        "/",
        "/plan/",
        "/items/",
        "/cancelled/",
        f"/items/{DevolvedItem.objects.first().pk}/",
        f"/cancelled/{CancelledApproval.objects.first().pk}/",
        f"/departments/{Department.objects.filter(level='county').first().pk}/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert not INLINE_STYLE.search(html), url
