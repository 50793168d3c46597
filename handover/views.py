from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from devolution.models import department_of

from .dashboard import department_progress


def progress(request):
    """The progress dashboard, inside the admin (wrapped by admin_view for login)."""
    if not request.user.has_perm("handover.view_handover"):
        raise PermissionDenied
    # A department's staff see their own department's row only.
    rows, total = department_progress(department_of(request.user))
    context = {
        **admin.site.each_context(request),
        "title": "赋权工作进度",
        "rows": rows,
        "total": total,
    }
    return TemplateResponse(request, "admin/handover/progress.html", context)
