"""`{% if revision|discardable_by:user %}`: the policy that guards the service draws the link.

A filter rather than a value the view passes, because the builder draws the link too, and
traitgroups' views sit below reviews and may not ask its policy."""

from django import template

from memadmin.reviews import policy

register = template.Library()


@register.filter
def discardable_by(revision, user) -> bool:
    """Whether `user` may discard `revision` now (policy.discard_refusal says why not)."""
    return bool(revision) and policy.discard_refusal(actor=user, revision=revision) is None
