"""A revision keeps its definitions' digests, which name cached diffs and dry-run checks:
a digest that did not follow its definition would show one change's diff for another."""

import importlib

from django.apps import apps

from memadmin.traitgroups import services
from memadmin.traitgroups.digests import content_digest
from memadmin.traitgroups.models import TraitGroupRevision

LOYALTY = {"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}}


def test_saving_a_draft_keeps_the_digest_of_what_it_holds_now(operator, store_id):
    draft = services.create_draft(store_id=store_id, definition=LOYALTY, author=operator)
    stored = TraitGroupRevision.objects.get(pk=draft.pk)
    assert stored.definition_digest == content_digest(LOYALTY)
    assert stored.base_digest == content_digest(None)

    changed = {**LOYALTY, "description": "Points and tiers"}
    services.save_draft(
        revision=stored, definition=changed, lock_version=stored.lock_version, actor=operator
    )

    assert TraitGroupRevision.objects.get(pk=draft.pk).definition_digest == content_digest(changed)


def test_saving_other_fields_of_a_row_read_without_its_definitions_keeps_their_digests(
    operator, store_id, django_assert_num_queries
):
    draft = services.create_draft(store_id=store_id, definition=LOYALTY, author=operator)
    light = TraitGroupRevision.objects.defer("definition", "base_definition").get(pk=draft.pk)
    light.state = TraitGroupRevision.State.WITHDRAWN
    with django_assert_num_queries(1):  # the UPDATE alone: no definition read back to hash
        light.save()
    assert TraitGroupRevision.objects.get(pk=draft.pk).definition_digest == content_digest(LOYALTY)


def test_rows_from_before_digests_get_them_from_the_migration(operator, store_id):
    TraitGroupRevision.objects.bulk_create(  # bulk_create passes save() by: no digests
        [TraitGroupRevision(store_id=store_id, definition=LOYALTY, author=operator)]
    )
    row = TraitGroupRevision.objects.get()
    assert row.definition_digest == "" and row.definition_key == content_digest(LOYALTY)

    migration = importlib.import_module("memadmin.traitgroups.migrations.0005_revision_digests")
    migration.keep_digests(apps, schema_editor=None)

    row.refresh_from_db()
    assert row.definition_digest == content_digest(LOYALTY)
    assert row.base_digest == content_digest(None)
