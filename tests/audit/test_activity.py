"""The audit page's activity chart counts each day's events by outcome, over a fortnight."""

from datetime import timedelta

from django.utils import timezone

from memadmin.audit import selectors, services


def record_at(monkeypatch, when, *, outcome: str, count: int = 1) -> None:
    monkeypatch.setattr(services.timezone, "now", lambda: when)
    for _ in range(count):
        services.record(action="traitgroup.draft_saved", outcome=outcome, detail="x")
    monkeypatch.undo()


def test_each_day_of_the_fortnight_counts_its_own_events_by_outcome(db, monkeypatch):
    now = timezone.now()
    record_at(monkeypatch, now - timedelta(days=20), outcome="success")  # before the fortnight
    record_at(monkeypatch, now - timedelta(days=3), outcome="success", count=2)
    record_at(monkeypatch, now - timedelta(days=3), outcome="error")
    record_at(monkeypatch, now, outcome="failure")

    activity = selectors.count_activity_by_day(days=14)

    assert len(activity) == 14
    assert activity[-1] == (now.date(), {"failure": 1})
    assert activity[-4] == ((now - timedelta(days=3)).date(), {"success": 2, "error": 1})
    assert [counts for _, counts in activity].count({}) == 12


def test_the_audit_page_draws_the_fortnight(client, auditor, monkeypatch):
    record_at(monkeypatch, timezone.now(), outcome="failure", count=3)
    client.force_login(auditor)
    page = client.get("/audit/").text
    assert "Activity, last 14 days (UTC)" in page
    assert "3 failure, 0 error)" in page
