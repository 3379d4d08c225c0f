"""`{% operation_row_cache_seconds as seconds %}`: how long operations/_operation_list.html
keeps a row, so that the table caches its rows without asking every page that includes it."""

from django import template

from memadmin.operations import selectors

register = template.Library()


@register.simple_tag
def operation_row_cache_seconds() -> int:
    return selectors.row_cache_seconds()
