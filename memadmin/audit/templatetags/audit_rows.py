"""`{% event_row_cache_seconds as seconds %}`: how long audit/_event_table.html keeps a row,
so that the table caches its rows without asking every page that includes it."""

from django import template

from memadmin.audit import selectors

register = template.Library()


@register.simple_tag
def event_row_cache_seconds() -> int:
    return selectors.event_row_cache_seconds()
