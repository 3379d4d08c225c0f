"""Operations pages: the list, one operation, its live badge and its actions."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from memadmin.memory_api import MemoryApiError
from memadmin.operations import polling, reconcile, selectors, services
from memadmin.operations.forms import OperationFilterForm
from memadmin.operations.models import Operation

VIEW = "operations.view_operation"
REFRESH = "operations.refresh_operation"
# Re-sending a write publishes it: the same permission as publishing.
RETRY = "traitgroups.publish_revision"
TOO_SOON = "Already refreshed a moment ago: wait a few seconds and try again."


@require_GET
@permission_required(VIEW, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    form = OperationFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    before = form.cleaned_data.get("before") if form.is_bound and form.is_valid() else None
    page = selectors.operations_page(before=before, **filters)
    query = urlencode({k: v for k, v in (request.GET.items()) if k != "before" and v})
    context = {"form": form, "page": page, "filter_query": query}
    template = "operations/index.html#results" if request.htmx else "operations/index.html"
    return render(request, template, context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = _get(pk)
    context = {
        "operation": operation,
        # Shown as the JSON that went over the wire, not as a Python dict.
        "request_json": json.dumps(operation.request_body, indent=2, ensure_ascii=False),
        "result_json": json.dumps(operation.result, ensure_ascii=False),
    }
    return render(request, "operations/detail.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The live badge. A due operation is polled right here, so the page stays correct
    even when the background worker is slow or down (the lease prevents double polls)."""
    operation = _get(pk)
    if operation.is_in_flight:
        polling.poll(operation_id=operation.pk)  # API trouble is recorded on the row
        operation.refresh_from_db()
    return _badge_response(request, operation)


@require_POST
@permission_required(REFRESH, raise_exception=True)
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Refresh now": polls Twilio at once, at most once per 5 s per operation (else 429)."""
    operation = _get(pk)
    if not services.request_refresh(operation=operation):
        if request.htmx:
            response = HttpResponse(TOO_SOON, status=429)
            response["HX-Trigger"] = _toast(TOO_SOON, "warning")
            return response
        messages.warning(request, TOO_SOON)
        return redirect(operation)
    if operation.is_in_flight:
        polling.poll(operation_id=operation.pk, force=True)
        operation.refresh_from_db()
    if request.htmx:
        return _badge_response(request, operation)
    messages.info(request, f"Status refreshed: {operation.get_status_display()}.")
    return redirect(operation)


@require_POST
@permission_required(RETRY, raise_exception=True)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Retry: sends a submission Twilio refused for a passing reason again, once."""
    operation = _get(pk)
    try:
        operation = services.retry_submission(operation=operation, actor=request.user)
    except services.RetrySuperseded as exc:
        messages.error(request, str(exc))
        return redirect(operation)
    except services.SubmissionInProgress:
        messages.warning(
            request, "This operation cannot be retried now; it may already be on its way."
        )
        return redirect(operation)
    if operation.status == Operation.Status.FAILED:
        messages.error(request, f"Twilio refused it again: {operation.error_in_words}")
    else:
        messages.success(request, "Sent again: Twilio accepted it and memadmin is following it.")
    return redirect(operation)


@require_POST
@permission_required(REFRESH, raise_exception=True)
def reconcile_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reconcile: finds out what became of an operation left SUBMITTING or UNKNOWN."""
    operation = _get(pk)
    try:
        operation = reconcile.reconcile_operation(operation=operation)
    except reconcile.TooSoon as exc:
        messages.warning(request, str(exc))
        return redirect(operation)
    except MemoryApiError as exc:
        messages.error(request, exc.user_message)
        return redirect(operation)
    messages.info(
        request, f"Reconciled: the operation is now {operation.get_status_display().lower()}."
    )
    return redirect(operation)


def _get(pk: int) -> Operation:
    try:
        return selectors.operation_detail(pk)
    except Operation.DoesNotExist:
        raise Http404("No such operation.") from None


def _badge_response(request: HttpRequest, operation: Operation) -> HttpResponse:
    response = render(request, "operations/_badge.html", {"operation": operation})
    seen = request.GET.get("seen", "")
    if seen and seen != operation.status and operation.is_terminal:
        ok = operation.status == Operation.Status.COMPLETED
        words = f"{operation.get_kind_display()} of {operation.trait_group_name}"
        message = (
            f"{words} completed."
            if ok
            else f"{words} {operation.status.lower()}: {operation.error_in_words}"
        )
        response["HX-Trigger"] = json.dumps(
            {
                "toast": {"message": message, "level": "success" if ok else "error"},
                # Pages showing this operation refresh what depends on its outcome.
                "operation-finished": {"operation": operation.pk, "status": operation.status},
            }
        )
    return response


def _toast(message: str, level: str) -> str:
    return json.dumps({"toast": {"message": message, "level": level}})
