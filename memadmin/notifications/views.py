"""Notification pages: everyone's preferences; for Admins destinations and deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from memadmin.notifications import destinations as configured
from memadmin.notifications import selectors, services
from memadmin.notifications.forms import DestinationForm, PreferencesForm
from memadmin.notifications.models import Delivery, Destination

MANAGE = "notifications.manage_notifications"


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Which events reach me by e-mail, and whether bundled hourly."""
    current = selectors.get_preference(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.save_preferences(
                user=request.user, muted=form.muted, digest=form.cleaned_data["digest"]
            )
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
        status = 400
    else:
        emailed = [value for value, _ in PreferencesForm.base_fields["emailed"].choices]
        form = PreferencesForm(
            initial={
                "emailed": [kind for kind in emailed if current.wants(kind)],
                "digest": current.digest,
            }
        )
        status = 200
    context = {"form": form, "email": request.user.email}
    return render(request, "notifications/preferences.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def destinations(request: HttpRequest) -> HttpResponse:
    """The chat and webhook destinations, masked, and a form to add one."""
    form = DestinationForm(request.POST or None)
    new_secret, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            new_secret = form.new_signing_secret()
            destination = services.add_destination(
                name=form.cleaned_data["name"],
                channel=form.cleaned_data["channel"],
                url=form.cleaned_data["url"],
                signing_secret=new_secret,
                kinds=form.cleaned_data["kinds"],
                actor=request.user,
            )
            if not new_secret:
                messages.success(request, f"Destination “{destination.name}” added.")
                return redirect("notifications:destinations")
            form = DestinationForm()
        else:
            status = 400
    context = {
        "form": form,
        "destinations": selectors.list_destinations(),
        "configured": configured.configured_destinations(),
        "new_secret": new_secret,
    }
    return render(request, "notifications/destinations.html", context, status=status)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def remove_destination(request: HttpRequest, pk: int) -> HttpResponse:
    destination = get_object_or_404(Destination, pk=pk)
    services.remove_destination(destination=destination, actor=request.user)
    messages.success(request, f"Destination “{destination.name}” removed.")
    return redirect("notifications:destinations")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def test_destination(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends a test message now and says how it went."""
    destination = get_object_or_404(Destination, pk=pk)
    return _tested(request, services.send_test(actor=request.user, destination=destination))


@require_POST
@permission_required(MANAGE, raise_exception=True)
def test_configured(request: HttpRequest, key: str) -> HttpResponse:
    if configured.configured_url(key) is None:
        raise Http404("No such configured destination.")
    return _tested(request, services.send_test(actor=request.user, configured_key=key))


def _tested(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    if delivery.status == Delivery.Status.SENT:
        messages.success(request, f"Test message sent to {delivery.target_label}.")
    else:
        messages.error(
            request, f"Test message to {delivery.target_label} failed: {delivery.last_error}"
        )
    return redirect("notifications:destinations")


@require_GET
@permission_required(MANAGE, raise_exception=True)
def deliveries(request: HttpRequest) -> HttpResponse:
    """Every message memadmin sent or tried to send, newest first, with each attempt."""
    status = request.GET.get("status", "")
    if status not in Delivery.Status.values:
        status = ""
    context = {
        "deliveries": selectors.list_recent_deliveries(status=status),
        "statuses": Delivery.Status.choices,
        "status": status,
    }
    return render(request, "notifications/deliveries.html", context)
