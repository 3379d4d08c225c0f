"""The impact panel's template helpers: the builder's first render, and reasons in markup."""

import re

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from memadmin.impact import analysis, selectors

register = template.Library()

_CODE = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"\*([^*]+)\*")


@register.simple_tag
def builder_impact(definition, store_id, revision=None, fixed_name=""):
    """The assessment of the draft the builder page shows (`definition`: what Save draft
    would store), so the panel is there at once (and without JavaScript); htmx refreshes
    it as the operator edits."""
    return selectors.assess_draft(
        store_id=store_id,
        draft_definition=definition,
        revision_pk=str(getattr(revision, "pk", "") or ""),
        fixed_name=fixed_name or "",
        loaded=revision or None,
        named=True,  # its panel's markup is cached by content (builder_panel.html)
    )


@register.filter
def live_trait_notices(impact) -> list[str]:
    """The builder's notices about live traits the draft retypes or removes."""
    return analysis.live_trait_notices(impact)


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


@register.simple_tag
def reason_items(reasons) -> SafeString:
    """The reasons as list items, each with its tier."""
    return format_html_join(
        "",
        '<li><span class="pill {}">{}</span> {}</li>',
        ((tier_pill(r.tier), r.tier.label, reason_markup(r.text)) for r in reasons),
    )


@register.simple_tag
def trait_items(assessment) -> SafeString:
    """One list item per changed trait with more to say than the panel's "Why" list: its
    other reasons, who writes it, its identifier role. Empty when "Why" said it all.

    A reason at the deciding tier is in "Why" already and is not said again: each fact
    once. So a change that only adds traits has "Why" and nothing here.

    Built here rather than in the template: a 95-trait change is ~100 items, and the
    template engine's per-variable cost would dominate the panel's time (bench_impact).
    """
    said_above = set(assessment.risk.deciding)
    reasons: dict[str, list] = {}
    counted = {reason.trait for reason in assessment.risk.reasons if reason.counts_rejected}
    for reason in assessment.risk.reasons:
        if reason.trait and reason not in said_above:
            reasons.setdefault(reason.trait, []).append(reason)
    sample = assessment.sample
    return format_html_join(
        "\n",
        "{}",
        (
            (_trait_item(trait, reasons.get(trait.name, ()), sample, trait.name in counted),)
            for trait in assessment.impact.traits
            if trait.name in reasons or trait.needs_attention
        ),
    )


def _trait_item(trait, reasons, sample, count_said: bool) -> SafeString:
    head = format_html(
        '<p class="impact-trait-head"><code>{}</code> <span class="pill">{}</span>{}</p>',
        trait.name,
        trait.kind,
        mark_safe(' <span class="pill pill-info">protected</span>') if trait.protected else "",
    )
    said = format_html_join(
        "",
        '<p class="impact-reason"><span class="pill {}">{}</span> {}</p>',
        ((tier_pill(r.tier), r.tier.label, reason_markup(r.text)) for r in reasons),
    )
    facts = ""
    if trait.needs_attention:
        writers = (
            format_html_join(
                ", ",
                '<em>{}</em> <span class="muted">({})</span>',
                ((w.name, w.source) for w in trait.writers),
            )
            or "no data mapping"
        )
        if trait.promotion_changed:  # its reason already says that profiles can merge or split
            identifier = format_html("promotes to <code>{}</code> (changing)", trait.promotion)
        elif trait.promotion:
            identifier = format_html(
                "promotes to <code>{}</code>: a change here can merge or split customer profiles",
                trait.promotion,
            )
        else:
            identifier = "no promotion"
        rejected = rejected_for(sample, trait.name)
        sampled = (
            format_html(
                '<dt>Sampled</dt><dd data-testid="sampled-violations">{} of {} sampled profiles '
                "hold a value the new definition rejects</dd>",
                rejected,
                sample.sampled,
            )
            if rejected and not count_said  # else its reason gives the count
            else ""
        )
        facts = format_html(
            '<dl class="impact-facts"><dt>Written by</dt><dd>{}</dd>'
            "<dt>Identifier</dt><dd>{}</dd>{}</dl>",
            writers,
            identifier,
            sampled,
        )
    return format_html(
        '<li class="impact-trait" data-trait="{}">{}{}{}</li>', trait.name, head, said, facts
    )
