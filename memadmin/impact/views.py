"""The impact panel's htmx endpoint: the builder posts its form, the panel comes back."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.views.decorators.http import require_POST

from memadmin.impact import selectors
from memadmin.traitgroups.builder import state as builder_state

PANEL = "impact/panel.html#panel-body"
LIVE_TRAITS = "impact/live_traits.html#notice"


@require_POST
@permission_required("traitgroups.edit_draft", raise_exception=True)
def builder_panel(request: HttpRequest, store_id: str) -> HttpResponse:
    """The impact of the draft as typed so far, from stored data only (no API call)."""
    form = builder_state.submitted_form(request)  # a malformed body is a 400 (BadForm)
    draft = builder_state.draft_from_post(form)
    assessment = selectors.assess_draft(
        store_id=store_id,
        draft_definition=builder_state.definition_from_draft(draft),
        revision_pk=form.get("revision", ""),
        fixed_name=form.get("fixed_name", ""),
    )
    context = {"assessment": assessment, "where": "builder"}
    html = get_template(PANEL).render(context)
    # The notice above the builder's form follows the same assessment.
    html += get_template(LIVE_TRAITS).render({**context, "oob": True})
    return HttpResponse(html)
