"""The impact panel's template helpers: the builder's first render, and reasons in markup."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from memadmin.impact import selectors
from memadmin.traitgroups.builder_state import definition_from_draft

register = template.Library()

_CODE = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"\*([^*]+)\*")


@register.simple_tag
def builder_impact(draft, store_id, revision=None, fixed_name=""):
    """The assessment of the draft the builder page shows, so the panel is there at once
    (and without JavaScript); htmx refreshes it as the operator edits."""
    return selectors.assess_draft(
        store_id=store_id,
        draft_definition=definition_from_draft(draft),
        revision_pk=str(getattr(revision, "pk", "") or ""),
        fixed_name=fixed_name or "",
    )


@register.filter
def reason_markup(text: str) -> str:
    """A risk reason with `trait` as code and *mapping* emphasised; escaped first."""
    html = _EMPHASIS.sub(r"<em>\1</em>", _CODE.sub(r"<code>\1</code>", escape(text)))
    return mark_safe(html)  # noqa: S308 (built from escaped text)


@register.filter
def rejected_for(sample, trait_name: str) -> int:
    return sample.rejected_for(trait_name) if sample.usable else 0


TIER_PILLS = {"LOW": "pill-ok", "MEDIUM": "pill-warn", "HIGH": "pill-err"}


@register.filter
def tier_pill(tier) -> str:
    return TIER_PILLS.get(getattr(tier, "label", str(tier)), "")
