"""The author (or an admin) discards a draft: confirmed, audited, gone from the lists."""

from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.traitgroups.models import TraitGroupRevision


def test_the_author_discards_a_draft_after_confirming_and_it_leaves_every_list(
    client, operator, draft, contact
):
    client.force_login(operator)
    builder = client.get(reverse("traitgroups:revision", args=[draft.pk])).content.decode()
    discard_url = reverse("reviews:discard", args=[draft.pk])
    assert f'href="{discard_url}">Discard draft</a>' in builder

    confirm = client.get(discard_url)
    assert confirm.status_code == 200
    assert "has never been submitted for review" in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.state == TraitGroupRevision.State.DRAFT  # a GET changes nothing

    done = client.post(discard_url, follow=True)

    assert done.redirect_chain[-1][0] == contact.get_absolute_url()
    page = done.content.decode()
    assert f"Draft {draft.pk} was discarded." in page
    assert f"Revision {draft.pk}</a>" not in page  # the group's revisions list
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert f'href="{reverse("reviews:revision", args=[draft.pk])}"' not in inbox
    event = AuditEvent.objects.get(action="revision.discarded")
    assert (event.actor, event.revision_id) == (operator, draft.pk)


def test_a_discarded_drafts_urls_say_it_was_discarded(client, operator, draft):
    client.force_login(operator)
    client.post(reverse("reviews:discard", args=[draft.pk]))

    for url in (
        reverse("traitgroups:revision", args=[draft.pk]),
        reverse("reviews:revision", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"Draft {draft.pk} was discarded" in response.content.decode(), url
        assert "Discarded</span>" in response.content.decode(), url
    again = client.post(reverse("reviews:discard", args=[draft.pk]))
    assert again.status_code == 409
    assert "not a draft" in again.content.decode()


def test_only_the_author_or_an_admin_may_discard_and_only_a_draft(
    client, make_user, draft, operator
):
    url = reverse("reviews:discard", args=[draft.pk])
    teammate = make_user("Operator", username="teammate")
    client.force_login(teammate)
    assert (
        "Discard draft"
        not in client.get(reverse("traitgroups:revision", args=[draft.pk])).content.decode()
    )
    refused = client.post(url)
    assert refused.status_code == 403
    assert "Only the author of a draft, or an admin" in refused.content.decode()

    admin = make_user("Admin", username="the-admin")
    client.force_login(admin)
    assert client.post(url).status_code == 302
    assert AuditEvent.objects.get(action="revision.discarded").actor == admin


def test_a_revision_in_review_is_withdrawn_not_discarded(client, operator, in_review):
    client.force_login(operator)
    response = client.post(reverse("reviews:discard", args=[in_review.pk]))
    assert response.status_code == 409
    assert "withdraw it from its review page instead" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == TraitGroupRevision.State.IN_REVIEW
