"""Reads for the audit log: filtered lists, keyset pages, one trait group's history, the chain."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from memadmin.audit import chain
from memadmin.audit.models import GENESIS_HASH, AuditEvent

PAGE_SIZE = 50
# A list shows no event's before/after: two whole definitions of JSON to decode per row.
LISTS_SKIP = ("before", "after")
SEARCHED_FIELDS = (
    "action",
    "actor_username",
    "target_type",
    "target_id",
    "target_label",
    "store_id",
    "trait_group",
    "diff_summary",
    "detail",
    "request_id",
)


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    next_before: int | None  # the cursor for older events, None on the last page


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.reason}"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events(
    *,
    actor: str = "",
    action: str = "",
    store_id: str = "",
    trait_group: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
    search: str = "",
    through_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every given filter, newest first; "auth.*" matches an action family."""
    found = AuditEvent.objects.all()
    if actor:
        found = found.filter(actor_username=actor)
    if action.endswith("*"):
        found = found.filter(action__startswith=action.rstrip("*"))
    elif action:
        found = found.filter(action=action)
    if store_id:
        found = found.filter(store_id=store_id)
    if trait_group:
        # People type part of a name, in any case: "cont" finds Contact and ContactPrefs.
        found = found.filter(trait_group__istartswith=trait_group)
    if outcome:
        found = found.filter(outcome=outcome)
    if since:
        found = found.filter(time__gte=_start_of(since))
    if until:
        found = found.filter(time__lt=_start_of(until + timedelta(days=1)))
    if search:
        matches = Q()
        for field in SEARCHED_FIELDS:
            matches |= Q(**{f"{field}__icontains": search})
        found = found.filter(matches)
    if through_id is not None:
        found = found.filter(id__lte=through_id)
    return found.order_by("-id")


def events_page(*, before: int | None = None, size: int = PAGE_SIZE, **filters) -> EventPage:
    """One page of events older than the cursor; new arrivals never shift later pages."""
    found = events(**filters)
    if before is not None:
        found = found.filter(id__lt=before)
    rows = list(found.order_by("-id").defer(*LISTS_SKIP)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return EventPage(events=rows, next_before=rows[-1].pk if more else None)


def events_for_trait_group(*, store_id: str, trait_group: str, limit: int = 50) -> list[AuditEvent]:
    """A trait group's history, newest first, for the History tab of its page."""
    return list(
        events(store_id=store_id).filter(trait_group=trait_group).defer(*LISTS_SKIP)[:limit]
    )


def event(*, pk: int) -> AuditEvent:
    """One event by id; raises AuditEvent.DoesNotExist."""
    return AuditEvent.objects.get(pk=pk)


def latest_event_id() -> int | None:
    """The newest event's id: the upper bound that freezes an export's set."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()


def verify_chain() -> BrokenLink | None:
    """Recomputes every hash in order; returns the first event that does not fit, or None."""
    expected_prev, previous_id = GENESIS_HASH, None
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != expected_prev:
            after = f"event {previous_id}" if previous_id else "the start of the chain"
            return BrokenLink(
                row.pk,
                f"its prev_hash does not match the hash of {after} (that event was "
                "rewritten, or events between them were removed, inserted or reordered)",
            )
        if chain.event_hash(row) != row.hash:
            return BrokenLink(row.pk, "its content no longer matches its hash (it was changed)")
        expected_prev, previous_id = row.hash, row.pk
    return None
