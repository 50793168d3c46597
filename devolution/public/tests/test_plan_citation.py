"""Every public page cites the plan by its stored title and document number."""

import pytest

from devolution.models import Plan
from devolution.public import revision
from devolution.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_the_footer_cites_the_stored_plan_and_follows_a_correction(client):
    plan = PlanFactory(title="关于印发某实施方案的通知", doc_number="盘县政办发〔2016〕109号")
    page = client.get("/").content.decode()
    assert "依据《关于印发某实施方案的通知》（盘县政办发〔2016〕109号）公开" in page
    Plan.objects.filter(pk=plan.pk).update(title="更正后的标题")
    revision.bump()
    assert "《更正后的标题》" in client.get("/items/").content.decode()
