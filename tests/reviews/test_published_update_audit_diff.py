"""A published update's audit event shows what the update changed, not the whole group."""

from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.operations import polling
from memadmin.reviews import publishing


def test_the_published_event_of_an_update_shows_before_and_after_of_the_changed_traits(
    approved, reviewer, auditor, client
):
    operation = publishing.publish(revision=approved, actor=reviewer)
    polling.poll(operation_id=operation.pk, force=True)

    event = AuditEvent.objects.get(action="traitgroup.published", revision_id=approved.pk)
    paths = {change.path: change.kind for change in event.changes()}
    assert paths["traits.nickname.dataType"] == "added"
    assert paths["traits.street.dataType"] == "removed"
    assert paths["traits.postalCode.validationRule.pattern"] == "added"
    assert not any(path.startswith("traits.email") for path in paths)  # unchanged

    client.force_login(auditor)
    page = client.get(reverse("audit:detail", args=[event.pk])).content.decode()
    assert "traits.nickname.dataType" in page and "traits.street.dataType" in page
    assert "traits.email.dataType" not in page.split('aria-label="Before (JSON)"')[0]
