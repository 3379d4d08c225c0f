"""The home page tells each person what waits for them."""

from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts

SANDBOX = "mem_store_00000000000000000000000000"


def submitted_revision(author):
    revision = drafts.create_draft(
        store_id=SANDBOX,
        definition={"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}},
        author=author,
    )
    return reviews.submit_for_review(revision=revision, actor=author)


def test_a_reviewer_sees_what_waits_for_their_review(client, operator, reviewer):
    submitted_revision(operator)
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert "Waiting for your review (1)" in page
    assert "Loyalty" in page


def test_the_author_sees_their_own_revision_but_not_as_a_review_to_do(client, operator):
    submitted_revision(operator)
    client.force_login(operator)
    page = client.get("/").content.decode()
    assert "Waiting for your review" not in page
    assert "Your revisions" in page and "Loyalty" in page


def test_an_auditor_is_pointed_at_the_audit_log(client, auditor):
    client.force_login(auditor)
    page = client.get("/").content.decode()
    assert 'href="/audit/"' in page


def test_a_user_without_a_role_is_told_to_ask_for_one(client, make_user):
    client.force_login(make_user(None, username="nobody"))
    assert "no role yet" in client.get("/").content.decode()


def test_each_roles_empty_home_speaks_to_that_role(client_for):
    def hint(role):
        page = client_for(role).get("/").content.decode()
        return page[page.index('data-testid="home-hint"') :].split("</section>")[0]

    assert "build a trait group" in hint("Operator")
    assert "Nothing waits for your review" in hint("Reviewer")
    auditor = hint("Auditor")
    assert "Audit log" in auditor and "build a trait group" not in auditor
