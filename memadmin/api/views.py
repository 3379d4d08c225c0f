"""The API tokens page: a person's own tokens, a new one shown once, revoking."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from memadmin.accounts.roles import roles_of
from memadmin.api import tokens
from memadmin.api.forms import NewTokenForm
from memadmin.api.models import ApiToken


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Lists the person's tokens; a valid POST makes one and shows its secret this once."""
    roles = roles_of(request.user)
    form = NewTokenForm(request.POST or None, roles=roles)
    created = secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created, secret = tokens.create_token(user=request.user, **form.cleaned_data)
            form = NewTokenForm(roles=roles)
        else:
            status = 400
    context = {
        "form": form,
        "roles": roles,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created,
        "secret": secret,
    }
    response = render(request, "api/tokens.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"  # the one page that shows a secret
    return response


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token=token, actor=request.user)
    messages.success(request, f"{token} is revoked; it no longer opens the API.")
    return redirect("apitokens:index")
