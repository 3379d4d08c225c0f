"""The HTTP API under /api/ (django-ninja): the same doors as `manage.py memadmin`.

Each call carries `Authorization: Bearer mma_…`, a token made on the API tokens page; no
session cookie is read, so there is no CSRF to forge. A token acts as its user narrowed to
its role, and every call asks the same permissions as the pages. Proposing is the only
write: approving and publishing stay in the review pages, behind four eyes.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer

from memadmin.api import converters, tokens
from memadmin.memory_api import MemoryApiError
from memadmin.schemafiles import exporting, fileformat, planning, proposals
from memadmin.stores import selectors as store_selectors
from memadmin.traitgroups.models import TraitGroupRevision

converters.register()


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"The request body is larger than {limit:,} bytes; send fewer files.")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` holding `permissions`; each call is also counted and
    its declared size checked, all before the body is read."""

    def __init__(self, *permissions: str, refusal: str = ""):
        super().__init__()
        self.permissions = permissions
        self.refusal = refusal

    def __call__(self, request: HttpRequest):
        # Not ninja's own __call__: in DEBUG it logs a header that is not Bearer, secrets and all.
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw:
            return None
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str):
        holder = tokens.authenticate(token, request=request)
        tokens.check_rate(holder.token)
        if not holder.has_perms(self.permissions):
            raise PermissionDenied(self.refusal)
        limit = settings.API_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = limit + 1
        if declared > limit:
            raise BodyTooLarge(limit)
        return holder


READ_GROUPS = TokenAuth(
    "traitgroups.view_traitgroup", refusal="This token's role may not read trait groups."
)
READ_REVIEWS = TokenAuth(
    "traitgroups.view_traitgrouprevision", refusal="This token's role may not read reviews."
)
# Proposing writes drafts and submits them: `proposals.may_propose` asks the same two.
PROPOSE = TokenAuth(
    "traitgroups.edit_draft",
    "traitgroups.submit_for_review",
    refusal="This token's role may not propose changes; an Operator's may.",
)


api = NinjaAPI(
    title="memadmin API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=READ_GROUPS,
    openapi_url="openapi.json",
    docs_url="docs/",
    docs_decorator=require_GET,
)


def _problem(request, status: int, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(tokens.TokenRefused)
def _token_refused(request, exc):
    response = _problem(request, 401, str(exc))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(tokens.RateLimited)
def _rate_limited(request, exc):
    response = _problem(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(BodyTooLarge)
def _body_too_large(request, exc):
    return _problem(request, 413, str(exc))


@api.exception_handler(ValidationError)
def _invalid_request(request, exc):
    return _problem(request, 400, "The request is not what this endpoint takes.", errors=exc.errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _problem(request, 403, str(exc) or "This token's role may not do that.")


@api.exception_handler(planning.UnknownStore)
def _unknown_store(request, exc):
    return _problem(request, 404, str(exc))


@api.exception_handler(MemoryApiError)
def _twilio_failed(request, exc):
    return _problem(request, 502, exc.user_message)


class TraitGroupFile(Schema):
    name: str = Field(description="The file's name, e.g. Contact.yaml", max_length=128)
    content: str = Field(description="The file's text, as `export` writes it")


class Files(Schema):
    files: list[TraitGroupFile] = Field(max_length=fileformat.MAX_FILES)


class ProposalRequest(Files):
    message: str = Field("", max_length=proposals.MAX_MESSAGE_LENGTH)


def _files(body: Files) -> list[tuple[str, str]]:
    pairs = []
    for item in body.files:
        if (
            "/" in item.name
            or "\\" in item.name
            or not item.name.endswith(fileformat.READ_SUFFIXES)
        ):
            raise HttpError(400, f"{item.name!r}: name files like Contact.yaml or Contact.json.")
        pairs.append((item.name, item.content))
    return pairs


@api.get("stores/", url_name="stores", summary="The account's stores")
def list_stores(request):
    return {
        "stores": [
            {"id": s.id, "displayName": s.display_name, "status": s.status}
            for s in store_selectors.stores()
        ]
    }


@api.get(
    "stores/{store_ref:store}/groups/", url_name="groups", summary="A store's live trait groups"
)
def list_groups(request, store: str):
    found = planning.resolve_store(store)
    groups = planning.live_groups(found.id)
    return {
        "store": found.id,
        "groups": [
            {"name": name, "version": groups[name].version, "traits": len(groups[name].traits)}
            for name in sorted(groups)
        ],
    }


@api.get(
    "stores/{store_ref:store}/groups/{name}/file/",
    url_name="group_file",
    summary="One live group as a file (YAML or JSON), exactly as `export` writes it",
)
def group_file(request, store: str, name: str, format: str = "yaml"):
    if format not in fileformat.SUFFIXES:
        raise HttpError(400, "format is yaml or json.")
    found = planning.resolve_store(store)
    groups = planning.live_groups(found.id)
    if name not in groups:
        raise HttpError(404, f"Store {found.display_name} has no trait group {name!r}.")
    file_name, text = exporting.group_file(
        store=found, definition=groups[name].to_request_body(), file_format=format
    )
    content_type = "application/json" if format == "json" else "application/yaml"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@api.post(
    "stores/{store_ref:store}/plan/",
    url_name="plan",
    response={200: dict, 422: dict},
    summary="What the files would change against live; 422 with file, line and reason",
)
def plan(request, store: str, body: Files):
    result = planning.plan_store(store=planning.resolve_store(store), files=_files(body))
    return Status(200 if result.ok else 422, result.as_json())


@api.post(
    "stores/{store_ref:store}/proposals/",
    url_name="propose",
    auth=PROPOSE,
    response={201: dict, 422: dict},
    summary="Put each changed group up for review (nothing is published without approvals)",
)
def propose(request, store: str, body: ProposalRequest):
    token = request.auth.token
    result = planning.plan_store(store=planning.resolve_store(store), files=_files(body))
    try:
        made = proposals.propose(
            plan=result,
            actor=request.auth,
            via=f"API token '{token.label}' ({token.prefix})",
            message=body.message,
        )
    except proposals.FilesInvalid:
        return Status(422, result.as_json())
    base_url = request.build_absolute_uri("/").rstrip("/")
    return Status(201, {"store": result.store.id, "proposals": [p.as_json(base_url) for p in made]})


@api.get(
    "reviews/{int:review}/",
    url_name="review",
    auth=READ_REVIEWS,
    summary="Where one proposal's review stands",
)
def review(request, review: int):
    revision = TraitGroupRevision.objects.filter(pk=review).first()
    if revision is None:
        raise HttpError(404, f"No review {review}.")
    base_url = request.build_absolute_uri("/").rstrip("/")
    return proposals.review_state(revision).as_json(base_url)


def urls():
    """The API's URLs: the token-authenticated ones skip the sign-in redirect, the
    documentation (OpenAPI document and its page) is for signed-in people."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name not in ("openapi-json", "openapi-view", "api-root"):
            pattern.callback.login_required = False
    return patterns, app_name, namespace
