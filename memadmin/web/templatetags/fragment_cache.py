"""`{% fragment_cache_seconds as seconds %}`: the timeout for `{% cache %}`, so a partial that
caches its rows needs nothing from the pages that include it."""

from django import template

from memadmin.fragment_cache import fragment_cache_seconds as cache_seconds

register = template.Library()


@register.simple_tag
def fragment_cache_seconds() -> int:
    return cache_seconds()
