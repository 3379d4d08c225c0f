"""A GET never writes, and a made-up store id is refused before anything happens
(issue 15, item 10)."""

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from memadmin.audit.models import AuditEvent
from memadmin.stores.models import SyncRun

MADE_UP = "mem_store_01234567890123456789012345"


def test_an_auditor_opening_a_made_up_store_creates_nothing(instant_emulator, client_for):
    auditor = client_for("Auditor")
    events_before = AuditEvent.objects.count()
    for _ in range(3):
        response = auditor.get(reverse("traitgroups:list", args=[MADE_UP]))
        assert response.status_code == 404
    assert not SyncRun.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_opening_a_real_store_never_synced_writes_nothing_either(instant_emulator, client_for):
    auditor = client_for("Auditor")
    page = auditor.get(reverse("traitgroups:list", args=[instant_emulator.store_ids[0]]))
    assert page.status_code == 200
    assert "Never synced" in page.text and 'hx-trigger="load"' not in page.text
    assert not SyncRun.objects.exists() and not DBTaskResult.objects.exists()
