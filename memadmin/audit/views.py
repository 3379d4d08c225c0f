"""The audit log for Auditors and Admins: the filtered list, one event, and exports."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from memadmin.audit import checkpoints, exports, selectors, services
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
    page = selectors.get_events_page(before=_cursor(request), **form.filters())
    context = {"form": form, "page": page, "filter_query": _filter_query(request)}
    if not request.htmx:
        context["activity"] = selectors.count_activity_by_day()
    template = "audit/index.html#results" if request.htmx else "audit/index.html"
    return render(request, template, context)


@require_GET
@permission_required("audit.view_auditevent", raise_exception=True)
def detail(request, pk: int):
    try:
        event = selectors.get_event(pk=pk)
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
    lines = services.start_export(
        actor=request.user, request=request, export_format=export_format, filters=form.filters()
    )
    content_type, extension = exports.FORMATS[export_format]
    filename = f"audit-{timezone.now():%Y%m%dT%H%M%SZ}.{extension}"
    return StreamingHttpResponse(
        lines,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


VERIFIER = Path(__file__).with_name("verify_audit_export.py")


@require_GET
@permission_required("audit.view_auditevent", raise_exception=True)
def checkpoint_list(request):
    public = checkpoints.configured_public_key()
    context = {
        "checkpoints": selectors.list_checkpoints(),
        "public_key": checkpoints.public_key_text(public) if public is not None else "",
        "key_id": checkpoints.key_id(public) if public is not None else "",
        "every_events": settings.AUDIT_CHECKPOINT_EVERY_EVENTS,
        "max_age_minutes": settings.AUDIT_CHECKPOINT_MAX_AGE_SECONDS // 60,
    }
    return render(request, "audit/checkpoints.html", context)


@require_GET
@permission_required("audit.view_auditevent", raise_exception=True)
def verifier(request):
    """The standalone verifier, so an auditor can check an export on their own machine."""
    return FileResponse(
        VERIFIER.open("rb"),
        as_attachment=True,
        filename=VERIFIER.name,
        content_type="text/x-python; charset=utf-8",
    )
