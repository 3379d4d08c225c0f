"""The migration that backfills history from what memadmin knew before it kept one."""

import importlib

from django.apps import apps
from django.utils import timezone

from memadmin.operations.models import Operation
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion

backfill = importlib.import_module(
    "memadmin.traitgroups.migrations.0003_backfill_versions"
).backfill
State, Kind, Source = TraitGroupRevision.State, TraitGroupRevision.Kind, TraitGroupVersion.Source
V1 = {"displayName": "Loyalty", "description": "", "traits": {"tier": {"dataType": "STRING"}}}
V2 = {"displayName": "Loyalty", "description": "", "traits": {"tier": {"dataType": "NUMBER"}}}
OUTSIDE = {"displayName": "Loyalty", "description": "console", "traits": {}}


def published(group, definition, *, kind, base_version, author, publisher, when):
    revision = TraitGroupRevision.objects.create(
        trait_group=group,
        store_id=group.store_id,
        kind=kind,
        definition=definition,
        base_version=base_version,
        state=State.PUBLISHED,
        author=author,
        published_at=when,
    )
    Operation.objects.create(
        kind=kind,
        store_id=group.store_id,
        trait_group_name=group.name,
        revision=revision,
        actor=publisher,
        method="PATCH",
        status=Operation.Status.COMPLETED,
    )
    return revision


def test_published_revisions_and_the_last_live_definition_become_versions(db, operator, reviewer):
    now = timezone.now()
    group = TraitGroup.objects.create(
        store_id="mem_store_00000000000000000000000000",
        name="Loyalty",
        live_definition=OUTSIDE,
        live_version=3,
        live_synced_at=now,
    )
    hour = timezone.timedelta(hours=1)
    first = published(
        group,
        V1,
        kind=Kind.CREATE,
        base_version=None,
        author=operator,
        publisher=reviewer,
        when=now - 2 * hour,
    )
    published(
        group,
        V2,
        kind=Kind.UPDATE,
        base_version=1,
        author=operator,
        publisher=reviewer,
        when=now - hour,
    )
    untouched = TraitGroup.objects.create(store_id=group.store_id, name="Contact")

    backfill(apps, None)
    backfill(apps, None)  # running it again adds nothing

    rows = list(group.versions.order_by("seen_at", "pk"))
    assert [(r.version, r.source, r.definition) for r in rows] == [
        (1, Source.PUBLISH, V1),
        (2, Source.PUBLISH, V2),
        (3, Source.IMPORT, OUTSIDE),
    ]
    assert rows[0].actor == reviewer and rows[0].revision == first
    assert not untouched.versions.exists()
