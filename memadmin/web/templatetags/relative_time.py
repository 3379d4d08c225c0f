"""`{{ revision.updated_at|ago }}`: "just now", "5 minutes ago" (memadmin.relative_time).

Here beside the other project-wide tags, so that a template of any app can load it."""

from django import template

from memadmin import relative_time

register = template.Library()


@register.filter
def ago(value) -> str:
    """Nothing for no time, as Django's `timesince` filter gives."""
    return relative_time.ago(value) if value else ""
