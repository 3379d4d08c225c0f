"""`{% if revision|discardable_by:user %}`: the policy that guards the service draws the link."""

from django import template

from memadmin.reviews import policy

register = template.Library()


@register.filter
def discardable_by(revision, user) -> bool:
    """Whether `user` may discard `revision` now (policy.discard_refusal says why not)."""
    return bool(revision) and policy.discard_refusal(actor=user, revision=revision) is None


@register.filter
def was_discarded(revision) -> bool:
    """A revision withdrawn before it was ever submitted: a discarded draft."""
    return revision.state == policy.State.WITHDRAWN and revision.submitted_at is None
