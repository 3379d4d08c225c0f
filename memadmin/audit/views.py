"""The audit log for Auditors and Admins: the filtered list, one event, and exports."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from memadmin.audit import exports, selectors, services
from memadmin.audit.forms import EventFilterForm
from memadmin.audit.models import AuditEvent


def _cursor(request) -> int | None:
    try:
        return int(request.GET["before"])
    except (KeyError, ValueError):
        return None


def _filter_query(request) -> str:
    """The current filters as a query string, without the page cursor or export format."""
    query = request.GET.copy()
    for name in ("before", "format"):
        query.pop(name, None)
    return query.urlencode()


@require_GET
@permission_required("audit.view_auditevent", raise_exception=True)
def index(request):
    form = EventFilterForm(request.GET or None)
    page = selectors.events_page(before=_cursor(request), **form.filters())
    context = {"form": form, "page": page, "filter_query": _filter_query(request)}
    template = "audit/index.html#results" if request.htmx else "audit/index.html"
    return render(request, template, context)


@require_GET
@permission_required("audit.view_auditevent", raise_exception=True)
def detail(request, pk: int):
    try:
        event = selectors.event(pk=pk)
    except AuditEvent.DoesNotExist:
        raise Http404("No such audit event.") from None
    return render(request, "audit/detail.html", {"event": event})


@require_GET
@permission_required("audit.export_auditevent", raise_exception=True)
def export(request):
    export_format = request.GET.get("format", "csv")
    form = EventFilterForm(request.GET)
    if export_format not in exports.FORMATS or not form.is_valid():
        return HttpResponseBadRequest("Choose format=csv or format=jsonl and valid filters.")
    found = services.start_export(
        actor=request.user, request=request, export_format=export_format, filters=form.filters()
    )
    content_type, extension = exports.FORMATS[export_format]
    filename = f"audit-{timezone.now():%Y%m%dT%H%M%SZ}.{extension}"
    return StreamingHttpResponse(
        exports.lines(found, export_format),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
