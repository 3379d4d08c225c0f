"""Reads for operations: the filtered list with keyset pagination, one operation, the latest."""

from dataclasses import dataclass

from django.db.models import QuerySet

from memadmin.operations.models import Operation

PAGE_SIZE = 50


@dataclass(frozen=True)
class OperationPage:
    """One page of operations, newest first; `next_before` is the cursor for the next page."""

    operations: list[Operation]
    next_before: int | None


def _listed(operations: QuerySet[Operation]) -> QuerySet[Operation]:
    """What a row of a list shows: its actor, not the JSON bodies (a row names its revision
    by `revision_id` only; joining the revision decoded two whole definitions per row)."""
    return operations.select_related("actor").defer("request_body", "result")


def operations_list(
    *, status: str = "", store_id: str = "", trait_group: str = ""
) -> QuerySet[Operation]:
    """Operations matching the filters, newest first, with what a row shows pre-fetched."""
    operations = _listed(Operation.objects.all()).order_by("-pk")
    if status:
        operations = operations.filter(status=status)
    if store_id:
        operations = operations.filter(store_id=store_id)
    if trait_group:
        operations = operations.filter(trait_group_name__icontains=trait_group)
    return operations


def operations_page(
    *, before: int | None = None, page_size: int = PAGE_SIZE, **filters: str
) -> OperationPage:
    """A keyset page: operations with ids below `before`, so deep pages cost the same."""
    operations = operations_list(**filters)
    if before is not None:
        operations = operations.filter(pk__lt=before)
    rows = list(operations[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    return OperationPage(rows, rows[-1].pk if more and rows else None)


def operation_detail(pk: int) -> Operation:
    """One operation with its actor and revision; raises Operation.DoesNotExist."""
    return Operation.objects.select_related("actor", "revision").get(pk=pk)


def operations_for_trait_group(store_id: str, name: str, *, limit: int = 10) -> list[Operation]:
    """The latest operations on one trait group, for its detail page."""
    operations = Operation.objects.filter(store_id=store_id, trait_group_name=name)
    return list(_listed(operations).order_by("-pk")[:limit])
