"""The `store_ref` path converter: a store named by its id or by its display name."""

from django.urls import register_converter
from django.urls.converters import get_converters


class StoreRefConverter:
    """`mem_store_…` or `sandbox`: store ids and store names (`^[a-zA-Z0-9-]+$`, ≤ 64)."""

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    # Django refuses a second registration of a name; the API module may be imported twice.
    if "store_ref" not in get_converters():
        register_converter(StoreRefConverter, "store_ref")
