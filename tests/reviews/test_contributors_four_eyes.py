"""Four eyes counts everyone who put content into a revision, not only its author
(issue 15, item 2): an Admin who saved into an operator's draft cannot approve it."""

from django.urls import reverse

from memadmin.reviews import services
from memadmin.reviews.models import Review
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import RevisionContribution, TraitGroupRevision
from tests.fakes import form_data

State = TraitGroupRevision.State


def admin_saves_into(draft, admin):
    definition = {**draft.definition, "description": "Admin's words"}
    return traitgroup_services.save_draft(
        revision=draft, definition=definition, lock_version=draft.lock_version, actor=admin
    )


def test_an_admin_who_saved_into_an_operators_draft_cannot_approve_it(
    client, make_user, operator, draft
):
    admin = make_user("Admin", username="ada")
    draft = admin_saves_into(draft, admin)
    services.submit_for_review(revision=draft, actor=operator)
    client.force_login(admin)
    page = client.get(reverse("reviews:revision", args=[draft.pk])).content.decode()
    assert ">Approve<" not in page
    response = client.post(reverse("reviews:approve", args=[draft.pk]))
    assert response.status_code == 403
    assert "contributed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
    assert not Review.objects.exists()


def test_reviewers_see_the_co_authors_of_a_revision(client, make_user, operator, reviewer, draft):
    draft = admin_saves_into(draft, make_user("Admin", username="ada"))
    services.submit_for_review(revision=draft, actor=operator)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:revision", args=[draft.pk])).content.decode()
    assert "Co-authored" in page and "ada" in page and "saved changes" in page
    assert ">Approve<" in page  # someone who did not touch it still may


def test_a_co_authored_revision_is_not_in_the_co_authors_inbox(client, make_user, operator, draft):
    admin = make_user("Admin", username="ada")
    draft = admin_saves_into(draft, admin)
    services.submit_for_review(revision=draft, actor=operator)
    client.force_login(admin)
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert (
        f'href="{reverse("reviews:revision", args=[draft.pk])}"'
        not in inbox.split('aria-labelledby="to-publish"')[0].split('aria-labelledby="to-review"')[
            -1
        ]
    )


def test_a_reviewer_who_rebased_stays_barred_in_later_rounds(make_user, operator, in_review):
    reviewer = make_user("Reviewer", username="rita")
    traitgroup_services.record_contribution(revision=in_review, user=reviewer, kind="rebased")
    refused = None
    try:
        services.approve(revision=in_review, actor=reviewer)
    except Exception as exc:  # PermissionDenied
        refused = exc
    assert refused is not None and "contributed" in str(refused)


def test_saving_through_the_builder_with_imported_json_records_the_importer(
    client, make_user, store_id
):
    importer = make_user("Operator", username="ivan")
    client.force_login(importer)
    data = form_data("imported_group", traits=[("tier", "STRING", {})], action="save")
    data["imported"] = "1"
    response = client.post(reverse("traitgroups:new", args=[store_id]), data)
    assert response.status_code == 302
    kinds = set(RevisionContribution.objects.values_list("kind", flat=True))
    assert kinds == {"authored", "imported"}
