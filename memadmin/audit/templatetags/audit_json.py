"""JSON as people read it on the event page: indented documents, compact values."""

import json

from django import template

register = template.Library()


@register.filter
def pretty_json(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@register.filter
def compact_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
