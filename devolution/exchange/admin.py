"""The admin's import and export: upload → preview (new, changed with the diff, unchanged,
errors by row) → confirm; exports stream. Both go through the engine, as the commands do."""

import copy
import hashlib
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from devolution.models import ImportRecord, Plan, department_of

from .engine import confirm_import, get_table, refuse_upload, resolve_plan, start_import
from .errors import ExchangeError
from .reading import DEFAULT_LIMITS
from .writing import iter_csv, write_xls, write_xlsx

# The preview lists at most this many rows of each group; the counts are always complete.
PREVIEW_ROWS_SHOWN = 500
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv; charset=utf-8",
}


def max_upload_bytes():
    return getattr(
        settings, "REGISTRY_IMPORT_MAX_BYTES", DEFAULT_LIMITS["REGISTRY_IMPORT_MAX_BYTES"]
    )


def upload_sha256(upload):
    """The digest of an upload, read in chunks (an oversize one is never held in memory)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


class ExchangeAdminMixin:
    """Adds 导入 and 导出 to a model admin for the exchange table named by `exchange_table`."""

    exchange_table = None
    change_list_template = "admin/exchange/change_list.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path(
                "import/<int:record_id>/confirm/",
                wrap(self.import_confirm_view),
                name=f"{prefix}_import_confirm",
            ),
            path("export/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import": self.may_import(request),
            "may_export": self.may_export(request),
        }
        return super().changelist_view(request, extra_context)

    def may_import(self, request):
        return request.user.has_perm("devolution.import_registry") and self.has_view_permission(
            request
        )

    def may_export(self, request):
        return request.user.has_perm("devolution.export_registry") and self.has_view_permission(
            request
        )

    def _check_import_permission(self, request):
        if not self.may_import(request):
            raise PermissionDenied

    def _context(self, request, **extra):
        table = get_table(self.exchange_table)
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"导入{table.label}",
            "table": table,
            "plans": Plan.objects.all() if table.uses_plan else [],
            "max_mb": max_upload_bytes() // (1024 * 1024),
            **extra,
        }

    def import_view(self, request):
        self._check_import_permission(request)
        template = "admin/exchange/import.html"
        if request.method != "POST":
            return TemplateResponse(request, template, self._context(request))
        upload = request.FILES.get("file")
        # Every attempt leaves an import record, also one refused before its file is read.
        error = None
        if upload is None:
            # Django drops a file part whose name is empty or only dots ("..") on arrival.
            error = "没有收到文件：未选择文件，或文件名无效（为空或只有“.”），请选择文件后重试。"
        elif upload.size > max_upload_bytes():
            error = f"文件超过 {max_upload_bytes() // (1024 * 1024)} MB 的上限，未导入。"
        if error:
            refuse_upload(
                self.exchange_table,
                upload.name if upload is not None else "",
                error,
                user=request.user,
                plan_doc_number=request.POST.get("plan") or None,
                sha256=upload_sha256(upload) if upload is not None else "",
            )
            return TemplateResponse(request, template, self._context(request, error=error))
        try:
            record, result = start_import(
                upload.read(),
                upload.name,
                self.exchange_table,
                user=request.user,
                plan_doc_number=request.POST.get("plan") or None,
            )
        except ExchangeError as error:
            return TemplateResponse(request, template, self._context(request, error=str(error)))
        shown = PREVIEW_ROWS_SHOWN
        context = self._context(
            request,
            record=record,
            result=result,
            new_rows=result.new[:shown],
            changed_rows=result.changed[:shown],
            unchanged_rows=result.unchanged[:shown],
            error_rows=result.errors[:shown],
            shown=shown,
        )
        return TemplateResponse(request, template, context)

    def import_confirm_view(self, request, record_id):
        self._check_import_permission(request)
        record = get_object_or_404(ImportRecord, pk=record_id, table=self.exchange_table)
        if request.method != "POST":
            return redirect(self._url("import"))
        if record.user_id != request.user.pk:
            raise PermissionDenied
        try:
            result = confirm_import(record, request.user)
        except ExchangeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(self._url("import"))
        if result.drafted is not None:
            # Rule 8: the rows are a draft adjustment, to be reviewed and published.
            drafted = result.drafted
            url = reverse(
                f"admin:{drafted._meta.app_label}_{drafted._meta.model_name}_change",
                args=[drafted.pk],
            )
            self.message_user(
                request,
                f"已生成{drafted}（导入记录 #{record.pk}）。{result.summary()}"
                "清单尚未改变：草稿提交审核、由另一人审核通过并公布后生效。",
                messages.SUCCESS,
            )
            return redirect(url)
        self.message_user(
            request, f"已导入（导入记录 #{record.pk}）。{result.summary()}", messages.SUCCESS
        )
        return redirect(self._url("changelist"))

    def export_view(self, request):
        if not self.may_export(request):
            raise PermissionDenied
        fmt = request.GET.get("format", "xlsx")
        if fmt not in CONTENT_TYPES:
            return HttpResponse("不支持的格式，可选：xlsx、xls、csv。", status=400)
        table = get_table(self.exchange_table)
        try:
            plan = resolve_plan(request.GET.get("plan") or None) if table.uses_plan else None
        except ExchangeError as error:
            return HttpResponse(str(error), status=400)
        shown = self.shown_records(request)
        if shown is None:
            return HttpResponse("导出条件无效：请回到列表重新筛选后再导出。", status=400)
        rows = table.export_rows(plan, department=department_of(request.user), shown=shown)
        filename = f"{table.name}-{timezone.localdate():%Y%m%d}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                (chunk.encode("utf-8") for chunk in iter_csv(table.headers, rows)),
                content_type=CONTENT_TYPES[fmt],
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        # The workbook is written to a temporary file on disk, then streamed from it: memory
        # stays constant however many rows there are.
        spool = tempfile.TemporaryFile()
        try:
            (write_xlsx if fmt == "xlsx" else write_xls)(
                table.headers, rows, spool, sheet_title=table.label
            )
        except ExchangeError as error:
            spool.close()
            return HttpResponse(str(error), status=400)
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
        )

    def shown_records(self, request):
        """What the list shows for the export link's search and filters (the changelist's own
        query string, without the export's `format` and `plan`); None if they are invalid."""
        listed = copy.copy(request)
        listed.GET = request.GET.copy()
        for name in ("format", "plan"):
            listed.GET.pop(name, None)
        try:
            changelist = self.get_changelist_instance(listed)
        except IncorrectLookupParameters:
            return None
        return changelist.get_queryset(listed)

    def _url(self, name):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")
