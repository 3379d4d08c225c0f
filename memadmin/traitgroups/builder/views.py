"""The form builder's pages: a new group, an editable draft, saving, importing JSON.

Without JavaScript every builder button posts the page here, and the page comes back
with the same messages as the live checks and the input intact.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from memadmin.ids import as_row_id
from memadmin.traitgroups import importing, selectors, services, validation
from memadmin.traitgroups.builder import state
from memadmin.traitgroups.builder.context import (
    EDIT,
    TEMPLATE,
    builder_context,
    load_validation_context,
)
from memadmin.traitgroups.issues import BLOCKS_SAVE
from memadmin.traitgroups.models import TraitGroupRevision


def _page(request, *, store_id, draft, revision=None, status=200, as_saved=False, **extra):
    """The builder page; `as_saved` when `draft` is the revision's definition as saved (a
    GET), whose issues, shown on the page, are then those that decide Submit for review."""
    ctx = builder_context(draft=draft, store_id=store_id, revision=revision, fetch=True, **extra)
    if revision is not None:  # what Submit for review would send is the saved definition
        if as_saved:  # validated once: the same draft against the same store
            errors = [issue for issue in ctx["issues"] if issue.is_error]
        else:
            errors = selectors.definition_errors(revision)
        ctx["submittable"] = not errors
        ctx["submitted_beside"] = selectors.submitted_beside(revision)
    return render(request, TEMPLATE, ctx, status=status)


def _page_again(request, *, store_id, draft, revision, fixed_name, **extra):
    """The page redrawn in answer to a POST. The posted lock version travels on (unless the
    caller names one), so the save that follows still notices someone else's save."""
    extra.setdefault("lock_version", request.POST.get("lock_version"))
    return _page(
        request, store_id=store_id, draft=draft, revision=revision, fixed_name=fixed_name, **extra
    )


def _post_builder(request, *, store_id, revision, fixed_name):
    """A press of Save draft, Check or a row button, without JavaScript: the page again,
    input intact, or (saved) the draft's page."""
    draft = state.draft_from_post(state.submitted_form(request))
    action = request.POST.get("action", "check")
    imported = request.POST.get("imported") == "1"
    page = partial(
        _page_again,
        request,
        store_id=store_id,
        draft=draft,
        revision=revision,
        fixed_name=fixed_name,
        imported=imported,  # a refused save keeps it too, for the save that follows
    )
    if action == "check":
        return page(check=True)
    if action != "save":
        return page(limit_message=_change_rows(action, draft))
    issues = validation.validate(draft, load_validation_context(store_id, fixed_name, fetch=True))
    if any(issue.code in BLOCKS_SAVE for issue in issues):
        return page(
            status=422,
            form_error="Not saved: every trait needs a unique name and numbers in number "
            "fields. The problems are listed below.",
            check=True,
        )
    definition = state.definition_from_draft(draft)
    if revision is None:
        revision = services.create_draft(
            store_id=store_id, definition=definition, author=request.user, imported=imported
        )
    else:
        try:
            lock_version = int(request.POST.get("lock_version", ""))
        except ValueError:
            lock_version = -1
        try:
            revision = services.save_draft(
                revision=revision,
                definition=definition,
                lock_version=lock_version,
                actor=request.user,
                imported=imported,
            )
        except (services.StaleDraft, services.NotEditable) as exc:
            return page(status=409, lock_version=lock_version, form_error=str(exc))
    errors = sum(1 for i in issues if i.is_error)
    if errors:
        messages.warning(request, f"Draft saved with {errors} problem(s) to fix before review.")
    else:
        messages.success(request, "Draft saved.")
    return redirect(revision)


def _change_rows(action: str, draft: dict) -> str:
    """A row button pressed without JavaScript (`add`, `remove-3`…): the refusal, if any."""
    operation, _, key = action.partition("-")
    try:
        if operation in state.ROW_OPERATIONS:  # not "check", nor a button never drawn
            state.change_rows(draft, operation, as_row_id(key))
    except state.TraitLimitReached as exc:
        return str(exc)
    except state.NoSuchRow:
        pass  # removed by another press of the page
    return ""


@require_http_methods(["GET", "POST"])
@permission_required(EDIT, raise_exception=True)
def new(request: HttpRequest, store_id: str) -> HttpResponse:
    """The builder for a brand-new group of a store."""
    if request.method == "POST":
        return _post_builder(request, store_id=store_id, revision=None, fixed_name=None)
    draft = {"displayName": "", "description": "", "traits": [state.blank_row(0)]}
    return _page(request, store_id=store_id, draft=draft, show_issues=False)


def revision_builder(request: HttpRequest, revision: TraitGroupRevision) -> HttpResponse:
    """The builder for an editable draft (called by the revision view)."""
    fixed_name = revision.trait_group.name if revision.trait_group_id else None
    if request.method == "POST":
        return _post_builder(
            request, store_id=revision.store_id, revision=revision, fixed_name=fixed_name
        )
    draft = state.draft_from_definition(revision.definition)
    return _page(
        request,
        store_id=revision.store_id,
        draft=draft,
        revision=revision,
        fixed_name=fixed_name,
        as_saved=True,
    )


def get_revision_or_404(pk: int) -> TraitGroupRevision:
    """A revision with its author and group; of the group, its name and versions, not its
    two 95-trait definitions (the revision's own base is what a draft is judged against)."""
    return get_object_or_404(
        TraitGroupRevision.objects.select_related("trait_group", "author").defer(
            "trait_group__live_definition", "trait_group__published_definition"
        ),
        pk=pk,
    )


@require_POST
@permission_required(EDIT, raise_exception=True)
def import_json(request: HttpRequest, store_id: str) -> HttpResponse:
    """Loads pasted or uploaded JSON into the builder; precise errors when it is not usable."""
    revision, fixed_name = None, None
    revision_id = as_row_id(request.POST.get("revision", ""))
    if revision_id is not None:
        revision = get_revision_or_404(revision_id)
        if revision.store_id != store_id or not revision.is_editable:
            raise Http404("No such draft in this store.")
        fixed_name = revision.trait_group.name if revision.trait_group_id else None
    text = request.POST.get("import_text", "")
    upload = request.FILES.get("import_file")
    try:
        if upload is not None:
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise importing.too_large(upload.size)
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise importing.ImportRejected(["The file is not UTF-8 text."]) from None
        draft = importing.parse_import(text)
    except importing.ImportRejected as exc:
        if request.htmx:
            html = get_template(f"{TEMPLATE}#import-panel").render(
                {
                    "import_errors": exc.messages,
                    "import_text": text,
                    "store_id": store_id,
                    "import_url": request.path,
                    "revision": revision,
                    "lock_version": request.POST.get("lock_version", ""),
                },
                request,
            )
            response = HttpResponse(html, status=exc.status)
            return retarget(reswap(response, "outerHTML"), "#import-panel")
        form_draft = state.draft_from_post(state.submitted_form(request))
        return _page_again(
            request,
            store_id=store_id,
            draft=form_draft,
            revision=revision,
            fixed_name=fixed_name,
            status=exc.status,
            show_issues=False,
            import_errors=exc.messages,
            import_text=text,
        )
    count = len(draft["traits"])
    note = f"Imported {count} trait(s). Review them, then press Save draft."
    if request.htmx:
        ctx = builder_context(
            draft=draft,
            store_id=store_id,
            revision=revision,
            lock_version=request.POST.get("lock_version"),
            fixed_name=fixed_name,
            imported=True,
        )
        html = get_template(f"{TEMPLATE}#builder").render(ctx, request)
        html += get_template(f"{TEMPLATE}#preview-oob").render(ctx)
        # A fresh import panel: an earlier import's errors must not outlive this success.
        html += get_template(f"{TEMPLATE}#import-panel").render({**ctx, "oob": True}, request)
        response = HttpResponse(html)
        return trigger_client_event(response, "toast", {"message": note, "level": "success"})
    messages.info(request, note)
    return _page_again(
        request,
        store_id=store_id,
        draft=draft,
        revision=revision,
        fixed_name=fixed_name,
        imported=True,
    )
