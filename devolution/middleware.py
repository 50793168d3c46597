"""Refuses, before any view runs, input no view can store or search for.

PostgreSQL cannot hold a NUL character in a text value: a NUL in a search term, an autocomplete
`term` or a login name would reach the database and fail there as a server error. Forms already
refuse NUL field by field (Django's ProhibitNullCharactersValidator), but admin searches,
autocomplete and django-axes' login records read the raw parameters, so it is refused here once,
for every door, with a Chinese 400.
"""

from django.http import HttpResponseBadRequest

NUL = "\x00"
REFUSAL = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>请求无效</title>'
    "</head><body><h1>请求无效</h1><p>请求中含有空字符（NUL），无法处理。请去掉该字符后重试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def has_nul(querydict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in querydict.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a urlencoded body is read here: reading a multipart body would fix its upload
        # handlers before the import view can set its size cap.
        form_body = request.method == "POST" and request.content_type == (
            "application/x-www-form-urlencoded"
        )
        if has_nul(request.GET) or (form_body and has_nul(request.POST)):
            return HttpResponseBadRequest(REFUSAL, content_type="text/html; charset=utf-8")
        return self.get_response(request)
