"""`make run` opens on something to look at: synced stores and a revision to review."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision


@override_settings(DEBUG=True)
def test_demo_content_syncs_the_stores_and_puts_a_revision_up_for_review(db, client):
    call_command("seed_demo")
    call_command("seed_demo")  # `make run` runs it every time: nothing doubles

    assert TraitGroup.objects.filter(name="Contact").count() == 2  # both stores synced
    revision = TraitGroupRevision.objects.get()
    assert revision.display_name == "Preferences"
    assert revision.state == TraitGroupRevision.State.IN_REVIEW
    client.force_login(get_user_model().objects.get(username="reviewer"))
    assert "Waiting for your review (1)" in client.get("/").content.decode()


@override_settings(DEBUG=True, MEMORY_API_URL="https://memory.twilio.com")
def test_demo_content_never_touches_a_real_twilio_account(db):
    call_command("seed_demo")
    assert not TraitGroupRevision.objects.exists()
    assert not TraitGroup.objects.exists()
