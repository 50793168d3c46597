"""An import of stamps (django-import-export, as the operators use for the annexes) goes through
the same stamping rules: a refused row is reported with its rule and the import writes nothing."""

import pytest
import tablib
from import_export import resources

from items.models import ItemStatus
from items.tests.factories import DevolvedItemFactory
from seals.models import SealUsage
from seals.tests.factories import EnabledSealFactory

pytestmark = pytest.mark.django_db


class SealUsageResource(resources.ModelResource):
    class Meta:
        model = SealUsage
        fields = [
            "id",
            "seal",
            "item",
            "stamped_on",
            "document_reference",
            "applicant",
            "stamped_by",
            "route",
        ]
        use_transactions = True


def rows(seal, *items):
    data = tablib.Dataset(headers=SealUsageResource.Meta.fields)
    for number, item in enumerate(items, start=1):
        data.append(
            [
                "",
                seal.pk,
                item.pk,
                "2016-11-01",
                f"导入〔2016〕{number}号",
                "某公司",
                "张三",
                "city",
            ]
        )
    return data


def test_an_import_with_one_refused_row_writes_nothing_and_names_the_rule():
    seal = EnabledSealFactory()
    ready = DevolvedItemFactory(
        plan=seal.plan, county_department=seal.holder, status=ItemStatus.IN_TRAINING
    )
    not_handed_over = DevolvedItemFactory(plan=seal.plan, county_department=seal.holder)
    # "An import either applies whole or not at all": roll back on any refused row.
    result = SealUsageResource().import_data(
        rows(seal, ready, not_handed_over), rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert "事项尚未完成权力交接" in str(invalid.error_dict)
    assert not SealUsage.objects.exists()

    result = SealUsageResource().import_data(rows(seal, ready))
    assert not result.has_errors() and not result.has_validation_errors()
    assert SealUsage.objects.get().item == ready
