"""Reads for the audit log: filtered lists, keyset pages, one trait group's history, the chain."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from memadmin.audit import chain, checkpoints
from memadmin.audit import search as full_text
from memadmin.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent

PAGE_SIZE = 50
# A list shows no event's before/after: two whole definitions of JSON to decode per row.
LISTS_SKIP = ("before", "after")
ACTIVITY_CACHE_SECONDS = 3600


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


def filter_events(
    *,
    actor: str = "",
    action: str = "",
    store_id: str = "",
    trait_group: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
    search: str = "",
    revision: int | None = None,
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
    if revision is not None:
        found = found.filter(revision_id=revision)
    if since:
        found = found.filter(time__gte=_start_of(since))
    if until:
        found = found.filter(time__lt=_start_of(until + timedelta(days=1)))
    if search:
        found = full_text.matching(found, search)
    return found.order_by("-id")


def get_events_page(*, before: int | None = None, size: int = PAGE_SIZE, **filters) -> EventPage:
    """One page of events older than the cursor; new arrivals never shift later pages."""
    if filters.get("search") and full_text.vendor() == "sqlite":
        return _search_page_on_sqlite(before=before, size=size, **filters)
    found = filter_events(**filters)
    if before is not None:
        found = found.filter(id__lt=before)
    rows = list(found.order_by("-id").defer(*LISTS_SKIP)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return EventPage(events=rows, next_before=rows[-1].pk if more else None)


SEARCH_WINDOW_MAX = 8000  # SQLite binds at most 32,766 parameters per query


def _narrowing_phrases(
    *, actor: str = "", action: str = "", store_id: str = "", trait_group: str = "", **_other
) -> list[str]:
    """The text filters as FTS5 phrases: their values are words of the indexed text too."""
    family = action.endswith("*")
    return full_text.narrowing_phrases(
        exact=[actor, store_id, "" if family else action],
        prefixes=[trait_group, action.rstrip("*") if family else ""],
    )


def _search_page_on_sqlite(*, before: int | None, size: int, search: str, **filters) -> EventPage:
    """A search page read from FTS5 in growing windows, newest first, until the page fills."""
    rows: list[AuditEvent] = []
    # A page's worth first: with no other filter, or filters FTS5 narrowed by, most
    # matches belong on the page.
    window, cursor = size + 1, before
    narrowing = _narrowing_phrases(**filters)
    while len(rows) <= size:
        ids = full_text.newest_match_ids(search, before=cursor, limit=window, narrowing=narrowing)
        if not ids:
            break
        wanted = size + 1 - len(rows)
        found = filter_events(**filters).filter(id__in=ids).order_by("-id").defer(*LISTS_SKIP)
        rows.extend(found[:wanted])
        if len(ids) < window:
            break
        cursor, window = ids[-1], min(window * 4, SEARCH_WINDOW_MAX)
    more = len(rows) > size
    rows = rows[:size]
    return EventPage(events=rows, next_before=rows[-1].pk if more else None)


def list_trait_group_events(
    *, store_id: str, trait_group: str, limit: int = 50
) -> list[AuditEvent]:
    """A trait group's history, newest first, for the History tab of its page."""
    return list(
        filter_events(store_id=store_id).filter(trait_group=trait_group).defer(*LISTS_SKIP)[:limit]
    )


def get_event(*, pk: int) -> AuditEvent:
    """One event by id; raises AuditEvent.DoesNotExist."""
    return AuditEvent.objects.get(pk=pk)


def get_latest_event_id() -> int | None:
    """The newest event's id: the upper bound that freezes an export's set."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()


def verify_chain(*, public_key=None) -> list[BrokenLink]:
    """Recomputes every hash in order and checks every checkpoint; returns every problem.

    It goes on past a break, so one damaged event (or a false alarm) cannot hide later
    ones. With `public_key`, signed checkpoints must carry its valid signature.
    """
    problems: list[BrokenLink] = []
    expected_prev, previous_id = GENESIS_HASH, None
    marks = {c.event_id: c for c in AuditCheckpoint.objects.order_by("id")}
    seen_marks = set()
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != expected_prev:
            after = f"event {previous_id}" if previous_id else "the start of the chain"
            problems.append(
                BrokenLink(
                    row.pk,
                    f"its prev_hash does not match the hash of {after} (that event was "
                    "rewritten, or events between them were removed, inserted or reordered)",
                )
            )
        if chain.event_hash(row) != row.hash:
            problems.append(
                BrokenLink(row.pk, "its content no longer matches its hash (it was changed)")
            )
        mark = marks.get(row.pk)
        if mark is not None:
            seen_marks.add(row.pk)
            if mark.head_hash != row.hash:
                problems.append(
                    BrokenLink(
                        row.pk,
                        f"its hash differs from the one checkpoint {mark.pk} recorded at "
                        f"{mark.time:%Y-%m-%d %H:%M:%S} UTC (the log was rewritten after it)",
                    )
                )
        expected_prev, previous_id = row.hash, row.pk
    for event_id, mark in marks.items():
        if event_id not in seen_marks:
            problems.append(
                BrokenLink(
                    event_id,
                    f"checkpoint {mark.pk} covers this event, which is gone (events were "
                    "removed, perhaps from the end of the log)",
                )
            )
        if public_key is not None:
            reason = checkpoints.signature_problem(mark, public_key)
            if reason:
                problems.append(BrokenLink(event_id, f"checkpoint {mark.pk}: {reason}"))
    return sorted(problems, key=lambda problem: problem.event_id)


def list_checkpoints(*, limit: int = 100) -> list[AuditCheckpoint]:
    """The newest checkpoints, for the auditors' page."""
    return list(AuditCheckpoint.objects.order_by("-id")[:limit])


def list_checkpoints_through(through_id: int | None) -> list[AuditCheckpoint]:
    """Every checkpoint covering events up to `through_id`, oldest first, for an export."""
    if through_id is None:
        return []
    return list(AuditCheckpoint.objects.filter(event_id__lte=through_id).order_by("event_id", "id"))


def count_activity_by_day(*, days: int = 14) -> list[tuple[date, dict[str, int]]]:
    """Events per day and outcome over the last `days` days (UTC), oldest day first.

    Events are only ever appended (and pruned oldest first), so the first and last ids and
    the day name the counts: they are cached under those, and the fortnight's scan (a third
    of the audit page's time) runs again only once an event is recorded or a day begins.
    """
    today = timezone.now().date()
    ids = AuditEvent.objects.aggregate(first=Min("id"), last=Max("id"))
    key = f"audit:activity:{days}:{today.isoformat()}:{ids['first']}:{ids['last']}"
    counted = cache.get(key)
    if counted is None:
        counted = _count_activity_by_day(today, days)
        cache.set(key, counted, ACTIVITY_CACHE_SECONDS)
    return counted


def _count_activity_by_day(today: date, days: int) -> list[tuple[date, dict[str, int]]]:
    first = today - timedelta(days=days - 1)
    day_list = [first + timedelta(days=n) for n in range(days)]
    # Days as time ranges compared in SQL, not TruncDate: on SQLite that is a Python
    # function called for every event of the fortnight, most of the audit page's time.
    per_day = {
        f"day{n}": Count(
            "id", filter=Q(time__gte=_start_of(day), time__lt=_start_of(day + timedelta(days=1)))
        )
        for n, day in enumerate(day_list)
    }
    rows = (
        AuditEvent.objects.filter(time__gte=_start_of(first))
        .order_by()
        .values("outcome")
        .annotate(**per_day)
    )
    by_day: dict[date, dict[str, int]] = {day: {} for day in day_list}
    for row in rows:
        for n, day in enumerate(day_list):
            if row[f"day{n}"]:
                by_day[day][row["outcome"]] = row[f"day{n}"]
    return list(by_day.items())
