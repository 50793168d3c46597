"""An upload waiting for its confirmation lives in file storage, not in a database column: it is
removed once confirmed, or after the retention period; a dry run keeps no file."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from devolution.exchange.engine import confirm_import, import_file, purge_uploads, start_import
from devolution.exchange.errors import ExchangeError
from devolution.models import ImportRecord
from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from devolution.tests.sheets import xlsx_bytes
from items.models import DevolvedItem
from items.tabular import ITEM_HEADERS
from items.tests.publishing import confirmed, imported, office_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def annex():
    county = CountyDepartmentFactory()
    plan = PlanFactory()
    row = [1, "燃气经营许可", "无", "行政许可", "0021", "", county.short_name, "《燃气条例》", ""]
    return plan, xlsx_bytes([ITEM_HEADERS[:-1], row])


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def test_the_preview_keeps_the_file_in_storage_and_the_confirmation_removes_it(
    annex, media_root, django_capture_on_commit_callbacks
):
    plan, data = annex
    record, preview = start_import(
        data, "附件2.xlsx", "items", office_member("o"), plan_doc_number=plan.doc_number
    )
    assert preview.ok
    files = stored_files(media_root)
    assert len(files) == 1 and files[0].read_bytes() == data and files[0].suffix == ".xlsx"
    assert record.upload.name.startswith("imports/")

    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        confirmed(ImportRecord.objects.get(pk=record.pk))
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.COMMITTED and not record.upload
    assert stored_files(media_root) == []
    assert DevolvedItem.objects.filter(plan=plan).count() == 1


def test_a_dry_run_and_a_one_step_import_store_no_file(annex, media_root):
    plan, data = annex
    record, preview = import_file(
        data, "附件2.xlsx", "items", plan_doc_number=plan.doc_number, dry_run=True
    )
    assert preview.ok and not record.upload and stored_files(media_root) == []
    assert not DevolvedItem.objects.filter(plan=plan).exists()
    imported(data, "附件2.xlsx", "items", plan_doc_number=plan.doc_number)
    assert stored_files(media_root) == [] and DevolvedItem.objects.filter(plan=plan).count() == 1


def test_unconfirmed_uploads_are_removed_after_the_retention_period(annex, media_root, settings):
    settings.REGISTRY_IMPORT_UPLOAD_RETENTION_HOURS = 24
    plan, data = annex
    old, _ = start_import(data, "旧.xlsx", "items", plan_doc_number=plan.doc_number)
    fresh, _ = start_import(data, "新.xlsx", "items", plan_doc_number=plan.doc_number)
    ImportRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert purge_uploads() == 1
    assert [path.name for path in stored_files(media_root)] == [fresh.upload.name.split("/")[-1]]
    old.refresh_from_db()
    assert old.status == ImportRecord.Status.PREVIEWED and not old.upload  # the record stays
    with pytest.raises(ExchangeError, match="超过保留期限"):
        confirm_import(old)
    assert not DevolvedItem.objects.filter(plan=plan).exists()


def test_the_purge_command_reports_in_chinese(annex, media_root, capsys):
    plan, data = annex
    record, _ = start_import(data, "旧.xlsx", "items", plan_doc_number=plan.doc_number)
    ImportRecord.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    call_command("purge_import_uploads")
    assert "已清除 1 个" in capsys.readouterr().out
    assert stored_files(media_root) == []
