"""The public transparency site: read-only pages, downloads and a JSON API over the registry.

Every view answers GET and HEAD only, touches neither session nor CSRF token (so no cookie is
ever set), and carries an ETag and Last-Modified from the data revision for conditional GET.
"""

import hashlib
import json
import tempfile
import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from devolution.exchange.writing import iter_csv, write_xlsx
from devolution.models import Department, Plan, approval_bureau
from evaluation import reports as evaluation_reports
from evaluation.models import EvaluationRound
from handover.models import Handover
from items.models import (
    CancelledApproval,
    DevolutionMode,
    DevolvedItem,
    ItemKind,
    ItemStatus,
    ListVersion,
    PowerType,
    handover_key,
)
from items.tabular import ITEM_HEADERS, item_rows
from seals.models import Seal, transferred_on

from . import changelog, filters, opendata, revision, stats

# Same escapes as Django's json_script: the JSON stays valid and cannot close an HTML context.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# A rendered page is kept this long per data revision (a new revision makes new keys; the old
# ones age out), and only if it is at most this big.
PAGE_CACHE_TIMEOUT = 3600
PAGE_CACHE_MAX_BYTES = 512 * 1024
# While one request renders a page, others asking for the same page wait for it this long at
# most (then render it themselves), looking in the cache after each pause; the pauses double
# from the first to the longest. The lock outlives a render that died with its process.
RENDER_WAIT_SECONDS = 3.0
RENDER_POLL_SECONDS = (0.005, 0.05)
RENDER_LOCK_TIMEOUT = 30


def cached_per_revision(view):
    """The rendered page for this URL at the registry's current data revision, from the cache
    (shared Redis in production) when another request already rendered it: a page depends on
    nothing but its URL and the data, so every visitor after the first at a revision costs one
    cache read. Requests for a page another request (of any worker) is rendering wait for its
    result instead of rendering it again: after a new revision every popular page is asked for
    by many visitors at once, and each render costs its queries. Downloads (streamed) are not
    kept (public_download)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = revision.of_request(request)["token"]
        path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
        key = f"public:page:{token}:{path}"
        cached, lock = _cached_or_lock(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        try:
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and len(response.content) <= PAGE_CACHE_MAX_BYTES
            ):
                revision.cache_call(
                    "set", key, (response.content, response["Content-Type"]), PAGE_CACHE_TIMEOUT
                )
        finally:
            if lock is not None:
                revision.cache_call("delete", lock)
        return response

    return wrapper


def _cached_or_lock(key):
    """(the cached page `key`, None), or (None, the lock this request took to render it), or
    (None, None): render it without the lock (no cache, or another request took longer than
    RENDER_WAIT_SECONDS). While another request holds the lock, wait for its page."""
    lock = f"{key}:rendering"
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    pause, longest = RENDER_POLL_SECONDS
    while True:
        cached = revision.cache_call("get", key)
        if cached is not None:
            return cached, None
        # add(): one request of all the workers takes the lock.
        taken = revision.cache_call("add", lock, 1, RENDER_LOCK_TIMEOUT, default=None)
        if taken:
            return None, lock
        if taken is None or time.monotonic() >= deadline:  # None: the cache is down
            return None, None
        time.sleep(pause)
        pause = min(pause * 2, longest)


def public_view(view):
    """GET/HEAD only, revalidated against the registry's data revision (ETag), the page itself
    cached per revision, cacheable by anyone."""
    return public_download(cached_per_revision(view))


def public_download(view):
    """public_view without the page cache, for a download (it streams or may be large): no
    request waits for another's."""
    revalidated = condition(etag_func=revision.etag, last_modified_func=revision.last_modified)(
        view
    )
    return require_safe(cache_control(public=True, no_cache=True)(revalidated))


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: past that the total reads "1万+" ("1000+" for a keyword
    search) and the pages stop at the cap. Counting every hit of a common word among 300,000
    items costs more than the page itself, and no one reads page 501; a narrower search is the
    way on. `counter(cap)`, when given, counts up to cap + 1 its own way and may name the list
    to page through instead (filters.count_items: (n, queryset or None))."""

    COUNT_CAP = 10_000
    # A keyword search stops lower: proving that more than 10,000 items hold a common word
    # means reading 10,001 of them, where more than 1,000 takes a few thousand rows' reading
    # (items.search.count_matches).
    SEARCH_COUNT_CAP = 1_000
    COUNT_CAP_LABEL, SEARCH_COUNT_CAP_LABEL = "1万+", "1000+"

    def __init__(self, object_list, per_page, counter=None, searching=False):
        super().__init__(object_list, per_page)
        self.counter = counter
        self.cap = self.SEARCH_COUNT_CAP if searching else self.COUNT_CAP
        self.cap_label = self.SEARCH_COUNT_CAP_LABEL if searching else self.COUNT_CAP_LABEL

    @cached_property
    def count(self):
        if self.counter is not None:
            counted, listed = self.counter(self.cap)
            if listed is not None:
                self.object_list = listed
        else:
            # Unordered: the count of the first cap + 1 hits in any order, so the database
            # stops at the cap instead of sorting every hit first.
            counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    @property
    def count_label(self):
        return self.cap_label if self.count and self.capped else str(self.count)


def paginate(request, queryset, form=None, related=()):
    """A page of the queryset, and its total counted up to the cap; with the item filter form
    that made it, counted by filters.count_items (`related`: the queryset's extra
    select_related, which a list count_items gives instead must keep)."""
    searching = filters.is_search(form) if form is not None else False
    counter = None
    if isinstance(form, filters.ItemFilterForm):
        counter = lambda cap: filters.count_items(request, form, cap, related)  # noqa: E731
    paginator = CappedPaginator(queryset, filters.PAGE_SIZE, counter=counter, searching=searching)
    return paginator.get_page(request.GET.get("page"))


def filter_query(form):
    return urlencode(filters.active_filters(form))


def exercise_text(item):
    """Where a citizen goes for this item today (DESIGN rule 3)."""
    if item.status == ItemStatus.EXERCISED:
        return True, f"是。该事项由{item.county_department.full_name}独立行使，请到该部门办理。"
    if item.status == ItemStatus.WITHDRAWN:
        return False, (
            f"否。该事项已于{item.retired_on:%Y年%-m月%-d日}收回市直部门："
            f"请到{item.city_department.full_name}办理。"
        )
    if item.status == ItemStatus.CANCELLED:
        return False, "该事项已取消，不再办理。"
    if item.status == ItemStatus.RETIRED:
        return False, "该事项已退出，不再办理。"
    if item.status == ItemStatus.AWAITING_SEAL:
        bureau = approval_bureau()
        where = bureau.full_name if bureau else item.city_department.full_name
        return False, (
            f"否。权力已交接；{item.city_department.full_name}的审批权已划转市行政审批局，"
            "县统一使用的市行政审批局审批专用章启用前，暂按原程序办理："
            f"请到{where}办理。"
        )
    if item.status == ItemStatus.IN_TRAINING:
        # The county stamps with its own seal from the handover on; the city department guides
        # it and handles the specialised items it recorded as 代办/帮办 (notice 四(四)).
        city, county = item.city_department.full_name, item.county_department.full_name
        helps = "；".join(
            f"{city}{assistance.get_mode_display()}"
            f"（{assistance.starts_on:%Y年%-m月%-d日}"
            f"{f'至{assistance.ends_on:%Y年%-m月%-d日}' if assistance.ends_on else '起'}）"
            for assistance in item.trainingassistance_set.order_by("starts_on", "id")
        )
        return False, (
            f"尚未独立行使。权力已交接，处于培训指导期：请到{county}办理，由{city}指导。"
            + (f"该事项在培训指导期内由市直部门代办或帮办：{helps}。" if helps else "")
        )
    return False, (f"否。县尚未行使，暂按原程序办理：请到{item.city_department.full_name}办理。")


@public_view
def home(request):
    context = stats.home_figures(request)
    context["plan"] = Plan.objects.order_by("-issued_on").first()
    return render(request, "public/home.html", context)


@public_view
def plan(request):
    plans = Plan.objects.order_by("-issued_on")
    return render(request, "public/plan.html", {"plans": plans})


def version_context(form):
    """The published version a list reads, for its banner: none for the current list."""
    number = filters.version_asked(form)
    if number is None or number >= form.latest_version:
        return {}
    if number == 0:
        return {"before_first_version": True}
    return {"list_version": ListVersion.objects.filter(number=number).first()}


@public_view
def item_list(request):
    form, items = filters.filter_items(request.GET)
    page = paginate(request, items, form)
    query = filter_query(form)
    return render(
        request,
        "public/item_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query,
            "illustrative": any(item.illustrative for item in page),
            **version_context(form),
        },
    )


@public_view
def item_detail(request, pk):
    items = DevolvedItem.objects.select_related(
        "plan", "city_department", "county_department", "provincial_system"
    )
    # From a past version's list (?version=N or ?as_of=…): the item as that version had it.
    form = filters.ListVersionFields(request.GET)
    form.is_valid()
    shown_version = version_context(form)
    number = filters.version_asked(form)
    if shown_version.get("list_version") is not None:
        past = items.as_of(number).filter(pk=pk).first()
        if past is not None:
            items = items.as_of(number)
        else:
            shown_version = {"not_in_version": shown_version["list_version"]}
    item = get_object_or_404(items, pk=pk)
    exercised, exercise = exercise_text(item)
    # The department's own seals of the item's kind, and the county-wide bureau seal that
    # serves its approval items once its department's approval power moved.
    serving = Q(holder=item.county_department_id)
    if item.kind == ItemKind.APPROVAL and transferred_on(item.city_department_id) is not None:
        serving |= Q(county_wide=True)
    seals = Seal.objects.filter(serving, plan=item.plan_id, kind=item.kind).order_by("id")
    handovers = Handover.objects.filter(**handover_key(item))
    return render(
        request,
        "public/item_detail.html",
        {
            "item": item,
            "exercised": exercised,
            "exercise": exercise,
            "seals": seals,
            "handovers": handovers,
            "history": changelog.item_history(item),
            **shown_version,
        },
    )


@public_view
def cancelled_list(request):
    form, cancelled = filters.filter_cancelled(request.GET)
    page = paginate(request, cancelled, form)
    return render(
        request,
        "public/cancelled_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": filter_query(form),
            "illustrative": any(entry.illustrative for entry in page),
            **version_context(form),
        },
    )


@public_view
def cancelled_detail(request, pk):
    entry = get_object_or_404(
        CancelledApproval.objects.select_related("plan", "original_department"), pk=pk
    )
    return render(request, "public/cancelled_detail.html", {"entry": entry})


@public_view
def department_detail(request, pk):
    department = get_object_or_404(
        Department.objects.select_related("counterpart"),
        pk=pk,
        level=Department.Level.COUNTY,
    )
    params = request.GET.copy()
    params["department"] = str(department.pk)
    form, items = filters.filter_items(params)
    page = paginate(request, items, form)
    # The department's current items by power type and status, counted once per data revision.
    counts = stats.current_item_counts(request)
    counts = {key: n for key, n in counts.items() if key[0] == department.pk}
    return render(
        request,
        "public/department_detail.html",
        {
            "department": department,
            "page_obj": page,
            "query": filter_query(form),
            "illustrative": any(item.illustrative for item in page),
            "progress": stats.department_progress_bars(request, department),
            "power_type_chart": stats.power_type_chart(counts),
        },
    )


@public_view
def evaluation_list(request):
    rounds = EvaluationRound.objects.closed().order_by("-period_to", "-id")
    return render(request, "public/evaluation_list.html", {"rounds": rounds})


@public_view
def evaluation_detail(request, pk):
    """A closed round's summary: counts and the items recommended for withdrawal. Never the
    departments' answers, the city's comments, the reasons or the legal review: those are
    internal until the adjustment they lead to is published."""
    evaluation_round = get_object_or_404(EvaluationRound.objects.closed(), pk=pk)
    evaluations = evaluation_round.evaluations.all()
    withdrawals = list(evaluation_reports.withdrawals(evaluations))
    return render(
        request,
        "public/evaluation_detail.html",
        {
            "evaluation_round": evaluation_round,
            "totals": evaluation_reports.totals(evaluations),
            "departments": evaluation_reports.by_department(evaluations),
            "withdrawals": withdrawals,
            "illustrative": any(evaluation.item.illustrative for evaluation in withdrawals),
        },
    )


# The list's versions and what changed ---------------------------------------------------


@public_view
def changes(request):
    """The change log: every published version with its document and changes, newest first;
    with `from` and `to`, the diff of two versions."""
    versions = ListVersion.objects.select_related("adjustment")
    numbers = list(versions.values_list("number", flat=True).order_by("number"))
    context = {"log": changelog.version_log(versions), "numbers": numbers}
    low, high = request.GET.get("from", ""), request.GET.get("to", "")
    if low or high:
        if not (low.isdigit() and high.isdigit() and {int(low), int(high)} <= set(numbers)):
            context["diff_error"] = "请选择两个已公布的版本号。"
        else:
            # The older version first, whichever way round they were asked.
            low, high = sorted((int(low), int(high)))
            context.update(diff_from=low, diff_to=high)
            context["diff"] = changelog.diff(low, high)
    return render(request, "public/changes.html", context)


@public_view
def version_detail(request, number):
    """A version's permalink: its document, its changes, its list and downloads."""
    version = get_object_or_404(ListVersion, number=number)
    log = changelog.version_log(ListVersion.objects.filter(pk=version.pk))
    return render(
        request,
        "public/version_detail.html",
        {
            "version": version,
            "groups": log[0][1],
            "query": urlencode({"version": number}),
            "latest": ListVersion.objects.latest_number(),
        },
    )


class VersionFeed(Feed):
    """The published versions as an Atom feed."""

    feed_type = Atom1Feed
    title = "盘山县赋权事项清单版本"
    subtitle = "每次动态调整公布后的新版本：文号、生效日期和变动"

    def link(self):
        return reverse("public:changes")

    def items(self):
        return ListVersion.objects.order_by("-number")[:50]

    def item_title(self, version):
        return f"版本{version.number}：{version.title}（{version.doc_number}）"

    def item_description(self, version):
        groups = changelog.version_log(ListVersion.objects.filter(pk=version.pk))[0][1]
        told = "；".join(f"{label}{len(changes)}项" for label, changes in groups)
        return f"{version.effective_on:%Y年%-m月%-d日}起施行。{told or '初始清单。'}"

    def item_link(self, version):
        return reverse("public:version", args=[version.number])

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at


changes_feed = public_view(VersionFeed())


@public_download
def history_csv(request):
    response = StreamingHttpResponse(
        iter_csv(changelog.HISTORY_HEADERS, changelog.history_rows()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, "清单变更历史.csv")
    return response


@public_view
def datapackage(request):
    """The open-data package (Frictionless Data Package with Table Schemas) describing the
    CSV downloads."""
    return json_response(opendata.datapackage(request))


# Open data -------------------------------------------------------------------------------


def _export_rows(items):
    return item_rows(items)


def _export_name(items, extension):
    # Only a download that still holds an illustrative row says so (as the version had it).
    number = getattr(items, "list_version", None)
    illustrative = items.filter(**{"at_illustrative" if number else "illustrative": True})
    suffix = "（示例数据）" if illustrative.exists() else ""
    name = f"赋权事项（版本{number}）" if number else "赋权事项"
    return f"{name}{suffix}"[:31], f"{name}{suffix}.{extension}"


@public_download
def item_export_xlsx(request):
    _, items = filters.filter_items(request.GET)
    sheet_title, filename = _export_name(items, "xlsx")
    # openpyxl needs a seekable target; large exports spill to disk instead of memory.
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(ITEM_HEADERS, _export_rows(items), target, sheet_title=sheet_title)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@public_download
def item_export_csv(request):
    _, items = filters.filter_items(request.GET)
    _, filename = _export_name(items, "csv")
    response = StreamingHttpResponse(
        iter_csv(ITEM_HEADERS, _export_rows(items)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# JSON API -----------------------------------------------------------------------------------


def json_response(data, status=200):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)


def detail_url(request, name, pk):
    """request.build_absolute_uri(reverse(name, args=[pk])) for a detail URL ending in its pk,
    reversed once per request and name: an API page names 20 records."""
    prefixes = request.__dict__.setdefault("_detail_url_prefixes", {})
    if name not in prefixes:
        prefixes[name] = request.build_absolute_uri(reverse(name, args=[0])).removesuffix("0/")
    return f"{prefixes[name]}{pk}/"


# Labels by value, built once (a model's get_FOO_display() builds its choices' dict per call).
DEVOLUTION_MODE_LABELS = dict(DevolutionMode.choices)
POWER_TYPE_LABELS = dict(PowerType.choices)
STATUS_LABELS = dict(ItemStatus.choices)


def item_data(item, request):
    kind = item.kind
    return {
        "id": item.pk,
        "url": detail_url(request, "public:item", item.pk),
        "sequence": item.sequence,
        "code": item.code,
        "basic_code": item.basic_code,
        "implementation_code": item.implementation_code,
        "handling_code": item.handling_code,
        "sub_item_code": item.sub_item_code,
        "exercise_level": item.exercise_level,
        "devolution_mode": item.devolution_mode,
        "devolution_mode_display": DEVOLUTION_MODE_LABELS.get(
            item.devolution_mode, item.devolution_mode
        ),
        "name": item.name,
        "sub_item": item.sub_item,
        "power_type": item.power_type,
        "power_type_display": POWER_TYPE_LABELS.get(item.power_type, item.power_type),
        "kind": kind.value,
        "kind_display": kind.label,
        "city_department": item.city_department.full_name,
        "county_department": item.county_department.full_name,
        "county_department_id": item.county_department_id,
        "legal_basis": item.legal_basis,
        "provincial_system": item.provincial_system.name if item.provincial_system else "",
        "note": item.note,
        "status": item.status,
        "status_display": STATUS_LABELS.get(item.status, item.status),
        "retired_on": item.retired_on,
        "illustrative": item.illustrative,
    }


def cancelled_data(entry, request):
    return {
        "id": entry.pk,
        "url": detail_url(request, "public:cancelled", entry.pk),
        "sequence": entry.sequence,
        "name": entry.name,
        "sub_item": entry.sub_item,
        "original_department": entry.original_department.full_name,
        "legal_basis": entry.legal_basis,
        "reason": entry.reason,
        "note": entry.note,
        "illustrative": entry.illustrative,
    }


def api_page(request, form, queryset, to_data, related=()):
    if form.errors:
        return json_response({"errors": form.errors.get_json_data()}, status=400)
    page = paginate(request, queryset, form, related)
    results = [to_data(record, request) for record in page]

    def page_url(number):
        query = {**filters.active_filters(form), "page": number}
        return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")

    number = filters.version_asked(form)
    return json_response(
        {
            "list_version": number if number is not None else form.latest_version,
            "count": page.paginator.count,
            # True when there are more than `count` (the count stops at CappedPaginator's cap).
            "count_capped": page.paginator.capped,
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "illustrative": any(record["illustrative"] for record in results),
            "results": results,
        }
    )


@public_view
def api_items(request):
    form, items = filters.filter_items(request.GET)
    # Only the API's rows name the system; the list pages and downloads do without the join.
    related = ("provincial_system",)
    return api_page(request, form, items.select_related(*related), item_data, related)


@public_view
def api_item(request, pk):
    item = get_object_or_404(
        DevolvedItem.objects.select_related(
            "city_department", "county_department", "provincial_system"
        ),
        pk=pk,
    )
    return json_response(item_data(item, request))


@public_view
def api_cancelled(request):
    form, cancelled = filters.filter_cancelled(request.GET)
    return api_page(request, form, cancelled, cancelled_data)


@public_view
def api_cancelled_detail(request, pk):
    entry = get_object_or_404(
        CancelledApproval.objects.select_related("original_department"), pk=pk
    )
    return json_response(cancelled_data(entry, request))
