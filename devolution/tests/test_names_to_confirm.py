"""Department full names and counterparts the notice does not give are marked 待核实 until the
reform office confirms them in the admin."""

import pytest
from django.urls import reverse

from devolution.models import Department
from items.tests.factories import DevolvedItemFactory

pytestmark = pytest.mark.django_db


def test_inferred_names_are_marked_until_confirmed(client, admin_client_logged_in):
    item = DevolvedItemFactory()
    department = item.county_department
    page = client.get(f"/departments/{department.pk}/").content.decode()
    assert f"{department.full_name}（待核实）" in page
    assert "对口关系待核实" in page
    response = admin_client_logged_in.post(
        reverse("admin:devolution_department_changelist"),
        {"action": "confirm_names", "_selected_action": [department.pk, department.counterpart_id]},
        follow=True,
    )
    assert "已确认 2 个部门" in response.content.decode()
    assert Department.objects.get(pk=department.pk).names_confirmed
    page = client.get(f"/items/{item.pk}/").content.decode()
    assert department.full_name in page and f"{department.full_name}（待核实）" not in page


def test_the_seeded_departments_start_unconfirmed(registry):
    assert not Department.objects.filter(names_confirmed=True).exists()
