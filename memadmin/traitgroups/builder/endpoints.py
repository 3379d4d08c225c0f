"""The builder's htmx endpoints: live validation, preview, and row add/remove/duplicate.

Each takes the whole builder form (`hx-include`), runs the one validator and answers
with only the fragments that changed, mostly as out-of-band swaps of message boxes.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import get_template
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, trigger_client_event

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import validation
from memadmin.traitgroups.builder import state
from memadmin.traitgroups.builder.context import (
    EDIT,
    TEMPLATE,
    builder_context,
    description_hint,
    endpoint_urls,
    load_validation_context,
    preview_json,
    row_view,
)
from memadmin.traitgroups.issues import field_states


def _fragment(name: str, context: dict) -> HttpResponse:
    # Rendered without the request: fragments need no context processors or CSRF token,
    # and skipping them keeps a keystroke's answer cheap.
    return HttpResponse(get_template(f"{TEMPLATE}#{name}").render(context))


def _row_fields(row: dict) -> list[str]:
    """The paths of the fields a trait row shows: its rule's fields follow its data type."""
    shown = ("name", "dataType", "description", "idTypePromotion")
    return [f"traits.{row['key']}.{f}" for f in (*shown, *c.RULE_FIELDS.get(row["dataType"], ()))]


def _message_list(paths: list[str], draft: dict, states: dict) -> list[tuple]:
    """(element id, field state, hint) of each field in `paths`, for the messages-list swaps."""
    return [
        (
            state.dom_id(p),
            states.get(p),
            description_hint(draft["description"]) if p == "description" else "",
        )
        for p in paths
    ]


def _fields_to_refresh(path: str, draft: dict) -> list[str]:
    if not path.startswith("traits."):
        return [path] if path in ("displayName", "description") else []
    _, key, field = [*path.split(".", 2), "", ""][:3]
    if field == "name":  # a rename can make or break duplicates anywhere in the list
        return [f"traits.{row['key']}.name" for row in draft["traits"]]
    row = next((r for r in draft["traits"] if str(r["key"]) == key), None)
    if row is None:
        return []
    return [path for path in _row_fields(row) if not path.endswith(".name")]


@require_POST
@permission_required(EDIT, raise_exception=True)
def validate(request: HttpRequest, store_id: str) -> HttpResponse:
    """Live validation of one field: its messages (and its neighbours') as OOB swaps."""
    form = state.submitted_form(request)
    draft = state.draft_from_post(form)
    path = state.path_for_input(request.htmx.trigger_name or form.get("field", ""))
    context = load_validation_context(store_id, form.get("fixed_name"))
    states = field_states(validation.validate(draft, context))
    message_list = _message_list(_fields_to_refresh(path, draft), draft, states)
    return _fragment("messages-list", {"message_list": message_list, "oob": True})


def _every_field(draft: dict) -> list[str]:
    """The path of every field the form shows, so that Check marks untouched ones too."""
    return ["displayName", "description", *(p for row in draft["traits"] for p in _row_fields(row))]


@require_POST
@permission_required(EDIT, raise_exception=True)
def check(request: HttpRequest, store_id: str) -> HttpResponse:
    """The Check button: the summary at the top of the form, and every field's messages."""
    form = state.submitted_form(request)
    draft = state.draft_from_post(form)
    ctx = builder_context(
        draft=draft, store_id=store_id, fixed_name=form.get("fixed_name") or None, check=True
    )
    ctx["message_list"] = _message_list(_every_field(draft), draft, ctx["states"])
    ctx["oob"] = True
    html = "".join(
        get_template(f"{TEMPLATE}#{name}").render(ctx)
        for name in ("check-summary", "trait-limit", "messages-list")
    )
    return HttpResponse(html)


@require_POST
@permission_required(EDIT, raise_exception=True)
def preview(request: HttpRequest, store_id: str) -> HttpResponse:
    """The JSON preview of the request body, escaped, for the preview's <pre>.

    htmx swaps the answer as HTML whatever its content type: answering the user's text
    as text/plain would let a description carrying hx-* markup post on their behalf.
    """
    form = state.submitted_form(request)
    draft = state.draft_from_post(form)
    definition = state.definition_from_draft(draft)
    return _fragment("preview-body", {"preview_json": preview_json(definition)})


def _row_key(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("key", ""))
    except ValueError:
        raise Http404("No such trait row.") from None


def _refuse(message: str) -> HttpResponse:
    """The refusal in the limit's box and as a toast; the rows stay as they are."""
    html = get_template(f"{TEMPLATE}#trait-limit").render(
        {"limit_message": message, "oob": True, "states": {}}
    )
    response = reswap(HttpResponse(html), "none")
    return trigger_client_event(response, "toast", {"message": message, "level": "error"})


def _change_rows(request: HttpRequest, store_id: str, operation: str) -> HttpResponse:
    """One row operation; the answer is the new row, if any, and out-of-band refreshes."""
    form = state.submitted_form(request)
    draft = state.draft_from_post(form)
    try:
        row = state.change_rows(draft, operation, None if operation == "add" else _row_key(request))
    except state.NoSuchRow:
        raise Http404("No such trait row.") from None
    except state.TraitLimitReached as exc:
        return _refuse(str(exc))
    ctx = builder_context(draft=draft, store_id=store_id, fixed_name=form.get("fixed_name") or None)
    html = ""
    if row is not None:
        ctx["row"] = next(view for view in ctx["rows"] if view["key"] == row["key"])
        html = get_template(f"{TEMPLATE}#trait-row").render(ctx)
    ctx["oob"] = True
    html += get_template(f"{TEMPLATE}#counter").render(ctx)
    html += get_template(f"{TEMPLATE}#trait-limit").render(ctx)
    if operation != "add":  # a blank row cannot make or break a duplicate name
        ctx["message_list"] = [
            (f"traits-{r['key']}-name", ctx["states"].get(f"traits.{r['key']}.name"), "")
            for r in draft["traits"]
        ]
        html += get_template(f"{TEMPLATE}#messages-list").render(ctx)
    html += get_template(f"{TEMPLATE}#preview-oob").render(ctx)
    return HttpResponse(html)


@require_POST
@permission_required(EDIT, raise_exception=True)
def add_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """A new blank trait row, refused with a message at the 95-trait limit."""
    return _change_rows(request, store_id, "add")


@require_POST
@permission_required(EDIT, raise_exception=True)
def duplicate_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """A copy of a trait row, inserted after it."""
    return _change_rows(request, store_id, "duplicate")


@require_POST
@permission_required(EDIT, raise_exception=True)
def remove_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """Removes a trait row: the row's target is emptied, the counter updated."""
    return _change_rows(request, store_id, "remove")


@require_POST
@permission_required(EDIT, raise_exception=True)
def rule_fields(request: HttpRequest, store_id: str) -> HttpResponse:
    """The rule fields that fit a row's newly chosen data type."""
    form = state.submitted_form(request)
    draft = state.draft_from_post(form)
    key = _row_key(request)
    row = next((r for r in draft["traits"] if r["key"] == key), None)
    if row is None:
        raise Http404("No such trait row.")
    context = load_validation_context(store_id, form.get("fixed_name"))
    states = field_states(validation.validate(draft, context))
    position = draft["traits"].index(row) + 1
    ctx = {"row": row_view(row, position, states), **endpoint_urls(store_id)}
    return _fragment("rule-fields", ctx)
