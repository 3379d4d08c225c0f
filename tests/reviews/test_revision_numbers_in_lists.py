"""Two revisions of one group are told apart by their numbers wherever revisions are listed."""

import re

from django.urls import reverse

from memadmin.operations.models import Operation


def row_texts(page: str) -> list[str]:
    """Each table row's text, tags stripped, so a test reads what a person reads."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_two_preferences_rows_in_the_inbox_and_on_home_say_which_revision_each_is(
    client, reviewer, approve_new
):
    first, second = approve_new("Preferences"), approve_new("Preferences")
    client.force_login(reviewer)

    for url in (reverse("reviews:inbox"), reverse("home")):
        rows = [row for row in row_texts(client.get(url).content.decode()) if "Preferences" in row]
        assert any(f"Preferences · Revision {first.pk}" in row for row in rows), url
        assert any(f"Preferences · Revision {second.pk}" in row for row in rows), url

    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert f'aria-label="Publish Preferences, revision {first.pk}, in' in inbox


def test_the_bulk_publish_result_and_the_operations_list_name_each_revision(
    client, reviewer, approve_new
):
    first, second = approve_new("Preferences"), approve_new("Preferences")
    client.force_login(reviewer)

    result = client.post(
        reverse("reviews:publish_many"), {"revision": [first.pk, second.pk]}, follow=True
    ).content.decode()
    operations = client.get(reverse("operations:index")).content.decode()

    assert Operation.objects.filter(revision__in=[first, second]).count() == 2
    for page in (result, operations):
        rows = row_texts(page)
        assert any(f"Revision {first.pk}" in row for row in rows)
        assert any(f"Revision {second.pk}" in row for row in rows)
