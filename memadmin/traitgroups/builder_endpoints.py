"""The builder's htmx endpoints: live validation, preview, and row add/remove/duplicate.

Each takes the whole builder form (`hx-include`), runs the one validator and answers
with only the fragments that changed, mostly as out-of-band swaps of message boxes.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import get_template
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, trigger_client_event

from memadmin.traitgroups import builder_state, selectors, validation
from memadmin.traitgroups import constraints as c
from memadmin.traitgroups.builder_context import (
    TEMPLATE,
    builder_context,
    description_hint,
    endpoint_urls,
    preview_json,
    row_view,
)
from memadmin.traitgroups.issues import field_states
from memadmin.traitgroups.row_actions import duplicate_of, limit_message

EDIT = "traitgroups.edit_draft"


def _context_for(store_id: str, fixed_name: str | None):
    return selectors.validation_context(store_id, fixed_display_name=fixed_name or None)


def _fragment(name: str, context: dict) -> HttpResponse:
    # Rendered without the request: fragments need no context processors or CSRF token,
    # and skipping them keeps a keystroke's answer cheap.
    return HttpResponse(get_template(f"{TEMPLATE}#{name}").render(context))


def _fields_to_refresh(path: str, draft: dict) -> list[str]:
    if not path.startswith("traits."):
        return [path] if path in ("displayName", "description") else []
    _, key, field = [*path.split(".", 2), "", ""][:3]
    if field == "name":  # a rename can make or break duplicates anywhere in the list
        return [f"traits.{row['key']}.name" for row in draft["traits"]]
    row = next((r for r in draft["traits"] if str(r["key"]) == key), None)
    if row is None:
        return []
    fields = ("dataType", "description", "idTypePromotion", *c.RULE_FIELDS.get(row["dataType"], ()))
    return [f"traits.{key}.{f}" for f in fields]


@require_POST
@permission_required(EDIT, raise_exception=True)
def validate(request: HttpRequest, store_id: str) -> HttpResponse:
    """Live validation of one field: its messages (and its neighbours') as OOB swaps."""
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    path = builder_state.path_for_input(request.htmx.trigger_name or form.get("field", ""))
    context = _context_for(store_id, form.get("fixed_name"))
    states = field_states(validation.validate(draft, context))
    message_list = [
        (
            builder_state.dom_id(p),
            states.get(p),
            description_hint(draft["description"]) if p == "description" else "",
        )
        for p in _fields_to_refresh(path, draft)
    ]
    return _fragment("messages-list", {"message_list": message_list, "oob": True})


@require_POST
@permission_required(EDIT, raise_exception=True)
def preview(request: HttpRequest, store_id: str) -> HttpResponse:
    """The JSON preview of the request body, escaped, for the preview's <pre>.

    htmx swaps the answer as HTML whatever its content type: answering the user's text
    as text/plain would let a description carrying hx-* markup post on their behalf.
    """
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    return _fragment("preview-body", {"preview_json": preview_json(draft)})


def _row_response(form, store_id, draft, row, *, refresh_names=True) -> HttpResponse:
    context = _context_for(store_id, form.get("fixed_name"))
    issues = validation.validate(draft, context)
    ctx = builder_context(draft=draft, store_id=store_id, issues=issues, id_types=context.id_types)
    html = ""
    if row is not None:
        position = next(i for i, r in enumerate(draft["traits"], start=1) if r is row)
        ctx["row"] = next(v for v in ctx["rows"] if v["key"] == row["key"])
        ctx["row"]["position"] = position
        html = get_template(f"{TEMPLATE}#trait-row").render(ctx)
    ctx["oob"] = True
    html += get_template(f"{TEMPLATE}#counter").render(ctx)
    html += get_template(f"{TEMPLATE}#trait-limit").render(ctx)
    if refresh_names:
        ctx["message_list"] = [
            (f"traits-{r['key']}-name", ctx["states"].get(f"traits.{r['key']}.name"), "")
            for r in draft["traits"]
        ]
        html += get_template(f"{TEMPLATE}#messages-list").render(ctx)
    html += get_template(f"{TEMPLATE}#preview-oob").render(ctx)
    return HttpResponse(html)


def _refuse(store_id: str, draft: dict) -> HttpResponse:
    ctx = {"limit_message": limit_message(), "oob": True, "states": {}}
    response = reswap(HttpResponse(get_template(f"{TEMPLATE}#trait-limit").render(ctx)), "none")
    return trigger_client_event(response, "toast", {"message": limit_message(), "level": "error"})


def _row_key(request) -> int:
    try:
        return int(request.GET.get("key", ""))
    except ValueError:
        raise Http404("No such trait row.") from None


@require_POST
@permission_required(EDIT, raise_exception=True)
def add_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """A new blank trait row, refused with a message at the 95-trait limit."""
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    if len(draft["traits"]) >= c.MAX_TRAITS_PER_GROUP:
        return _refuse(store_id, draft)
    row = builder_state.blank_row(builder_state.next_key(draft))
    draft["traits"].append(row)
    return _row_response(form, store_id, draft, row, refresh_names=False)


@require_POST
@permission_required(EDIT, raise_exception=True)
def duplicate_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """A copy of a trait row, inserted after it."""
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    key = _row_key(request)
    index = next((i for i, r in enumerate(draft["traits"]) if r["key"] == key), None)
    if index is None:
        raise Http404("No such trait row.")
    if len(draft["traits"]) >= c.MAX_TRAITS_PER_GROUP:
        return _refuse(store_id, draft)
    row = duplicate_of(draft["traits"][index], builder_state.next_key(draft))
    draft["traits"].insert(index + 1, row)
    return _row_response(form, store_id, draft, row)


@require_POST
@permission_required(EDIT, raise_exception=True)
def remove_trait(request: HttpRequest, store_id: str) -> HttpResponse:
    """Removes a trait row: the row's target is emptied, the counter updated."""
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    key = _row_key(request)
    draft["traits"] = [r for r in draft["traits"] if r["key"] != key]
    return _row_response(form, store_id, draft, None)


@require_POST
@permission_required(EDIT, raise_exception=True)
def rule_fields(request: HttpRequest, store_id: str) -> HttpResponse:
    """The rule fields that fit a row's newly chosen data type."""
    form = builder_state.submitted_form(request)
    draft = builder_state.draft_from_post(form)
    key = _row_key(request)
    row = next((r for r in draft["traits"] if r["key"] == key), None)
    if row is None:
        raise Http404("No such trait row.")
    context = _context_for(store_id, form.get("fixed_name"))
    states = field_states(validation.validate(draft, context))
    position = draft["traits"].index(row) + 1
    ctx = {"row": row_view(row, position, states), **endpoint_urls(store_id)}
    return _fragment("rule-fields", ctx)
