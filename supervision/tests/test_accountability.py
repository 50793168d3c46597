import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from handover.tests.factories import DeadlineFlagFactory
from supervision.models import Accountability
from supervision.tests.factories import AccountabilityFactory

pytestmark = pytest.mark.django_db


def test_findings_and_a_known_measure_are_required():
    record = AccountabilityFactory()
    for field, value in [("findings", ""), ("measure", "fine")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Accountability.objects.filter(pk=record.pk).update(**{field: value})


def test_supervision_records_accountability_against_a_flag(admin_client_logged_in):
    flag = DeadlineFlagFactory()
    response = admin_client_logged_in.post(
        reverse("admin:supervision_accountability_add"),
        {
            "department": flag.department_id,
            "flags": [flag.pk],
            "measure": "notice",
            "persons": "局长 吴十",
            "findings": "未在15个工作日内完成权力交接。",
            "decided_on": "2016-10-20",
        },
    )
    assert response.status_code == 302, response.content.decode()
    record = Accountability.objects.get()
    assert list(record.flags.all()) == [flag]
    assert record.recorded_by.username == "root"
    assert record.decided_on == datetime.date(2016, 10, 20)
    assert record.history.get().history_user.username == "root"
