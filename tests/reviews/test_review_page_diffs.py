"""A review page diffs the revision against the live group and against the revision made
before it; each table is drawn from what the two revisions hold now."""

import copy

from django.urls import reverse

from memadmin.reviews import services
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision


def previous_section(page: str) -> str:
    return page.split('id="previous-heading"', 1)[1].split("</section>", 1)[0]


def test_the_previous_revision_table_shows_what_changed_since_the_revision_before(
    client, operator, reviewer, contact, settings
):
    settings.DEBUG = False  # diff tables are cached by content outside DEBUG: exercise that
    earlier = traitgroup_services.start_edit(trait_group=contact, author=operator)
    with_nickname = copy.deepcopy(earlier.definition)
    with_nickname["traits"]["nickname"] = {"dataType": "STRING", "description": "Called"}
    traitgroup_services.save_draft(
        revision=earlier, definition=with_nickname, lock_version=1, actor=operator
    )
    TraitGroupRevision.objects.filter(pk=earlier.pk).update(state="published")
    later = traitgroup_services.start_edit(trait_group=contact, author=operator)
    with_both = copy.deepcopy(with_nickname)
    with_both["traits"]["pronouns"] = {"dataType": "STRING", "description": "Pronouns"}
    later = traitgroup_services.save_draft(
        revision=later, definition=with_both, lock_version=later.lock_version, actor=operator
    )
    services.submit_for_review(revision=later, actor=operator)
    client.force_login(reviewer)

    section = previous_section(client.get(reverse("reviews:revision", args=[later.pk])).text)

    assert f"Revision {earlier.pk}</a>" in section
    assert 'data-trait="pronouns"' in section and 'data-trait="nickname"' not in section

    # The same earlier revision, re-worded: the later one's table against it follows.
    reworded = copy.deepcopy(with_nickname)
    reworded["traits"]["nickname"]["description"] = "What they like to be called"
    earlier.definition = reworded
    earlier.save()
    section = previous_section(client.get(reverse("reviews:revision", args=[later.pk])).text)
    assert 'data-trait="pronouns"' in section and 'data-trait="nickname"' in section
