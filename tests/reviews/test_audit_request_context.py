"""Review actions taken over HTTP say in the audit log where they came from."""

import re

from django.urls import reverse

from memadmin.audit.models import AuditEvent

BROWSER = {
    "REMOTE_ADDR": "203.0.113.7",
    "HTTP_USER_AGENT": "AuditorsBrowser/1.0",
    "HTTP_X_REQUEST_ID": "req-review-42",
}


def _origin(action: str, revision) -> tuple[str, str, str]:
    event = AuditEvent.objects.filter(action=action, revision_id=revision.pk).latest("id")
    return event.ip_address, event.user_agent, event.request_id


def test_approvals_and_comments_record_ip_user_agent_and_request_id(client, reviewer, in_review):
    client.force_login(reviewer)
    args = [in_review.pk]
    before = AuditEvent.objects.latest("id").pk
    client.post(reverse("reviews:comment", args=args), {"body": "One question"}, **BROWSER)
    client.post(reverse("reviews:approve", args=args), {"body": "Looks right"}, **BROWSER)
    expected = ("203.0.113.7", "AuditorsBrowser/1.0", "req-review-42")
    assert _origin("review.approved", in_review) == expected
    taken = AuditEvent.objects.filter(revision_id=in_review.pk, pk__gt=before)
    assert {e.action for e in taken} >= {"review.commented", "review.approved"}
    assert {(e.ip_address, e.user_agent, e.request_id) for e in taken} == {expected}


def test_submitting_a_draft_records_where_it_came_from(client, operator, draft):
    client.force_login(operator)
    client.post(reverse("reviews:submit", args=[draft.pk]), **BROWSER)
    assert _origin("review.submitted", draft) == (
        "203.0.113.7",
        "AuditorsBrowser/1.0",
        "req-review-42",
    )


def test_the_response_carries_the_request_id_the_audit_log_holds(client, reviewer, in_review):
    client.force_login(reviewer)
    response = client.post(reverse("reviews:approve", args=[in_review.pk]), {"body": "ok"})
    event = AuditEvent.objects.filter(action="review.approved").latest("id")
    assert response["X-Request-ID"] == event.request_id != ""


def test_a_revisions_page_links_to_its_filtered_audit_history(client, admin_user, in_review):
    client.force_login(admin_user)
    page = client.get(reverse("traitgroups:revision", args=[in_review.pk])).content.decode()
    link = f"{reverse('audit:index')}?revision={in_review.pk}"
    assert f'href="{link}"' in page
    listed = client.get(link).context["page"].events
    assert listed and {event.revision_id for event in listed} == {in_review.pk}


def test_a_groups_page_links_to_its_filtered_audit_history(client, admin_user, contact, draft):
    client.force_login(admin_user)
    page = client.get(contact.get_absolute_url()).content.decode()
    (name,) = re.findall(rf"\?store_id={contact.store_id}&amp;trait_group=(\w+)", page)
    listed = client.get(
        reverse("audit:index"), {"store_id": contact.store_id, "trait_group": name}
    ).context["page"]
    assert {event.trait_group for event in listed.events} <= {name}
