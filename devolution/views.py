from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import NoDepartmentTie


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def permission_denied(request, exception=None):
    """The 403 page (handler403), in Chinese; a login tied to no department is told so."""
    context = {"no_department": isinstance(exception, NoDepartmentTie)}
    return render(request, "403.html", context, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was not accepted; say why in Chinese and offer the page again
    (its address without the query: a fresh form with a fresh token)."""
    return render(request, "403_csrf.html", {"retry_url": request.path}, status=403)
