"""The URL converter for Memory store ids, shared by every app that puts one in a path."""

from django.urls import register_converter


class StoreIdConverter:
    """A Memory store id (`mem_store_…`, a TTID); anything else is a 404, not an API call.

    "`storeId`: `^mem_(store|service)_[0-7][0-9a-z]{25}$`" (../shared/specs/NOTES.md).
    """

    regex = r"mem_(?:store|service)_[0-7][0-9a-z]{25}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, on first import: Django refuses a second registration of a name.
register_converter(StoreIdConverter, "store_id")
