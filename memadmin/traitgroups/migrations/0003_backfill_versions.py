"""Backfills version history from what memadmin knew before it kept one: the revisions it
published (who, when, which version) and each group's live definition last seen."""

from django.db import migrations


def _definition(body: dict) -> dict:
    return {
        "displayName": body.get("displayName", ""),
        "description": body.get("description") or "",
        "traits": body.get("traits") or {},
    }


def backfill(apps, schema_editor):
    TraitGroup = apps.get_model("traitgroups", "TraitGroup")
    Revision = apps.get_model("traitgroups", "TraitGroupRevision")
    Version = apps.get_model("traitgroups", "TraitGroupVersion")
    Operation = apps.get_model("operations", "Operation")
    for group in TraitGroup.objects.iterator():
        if Version.objects.filter(trait_group=group).exists():
            continue
        rows = []
        published = Revision.objects.filter(trait_group=group, state="published").exclude(
            published_at=None
        )
        for revision in published.order_by("published_at", "pk"):
            operation = (
                Operation.objects.filter(revision=revision, status="COMPLETED")
                .order_by("-pk")
                .first()
            )
            deleted = revision.kind == "delete"
            if revision.kind == "create":
                number = 1
            elif revision.kind == "update" and revision.base_version:
                number = revision.base_version + 1  # Twilio counts each successful update
            else:
                number = None
            rows.append(
                Version(
                    trait_group=group,
                    version=number,
                    definition=None if deleted else _definition(revision.definition),
                    source="publish",
                    actor_id=operation.actor_id if operation else revision.author_id,
                    revision=revision,
                    seen_at=revision.published_at,
                )
            )
        last = rows[-1] if rows else None
        seen_at = group.live_synced_at or group.created_at
        if last is not None and seen_at < last.seen_at:
            seen_at = last.seen_at
        if group.deleted_in_twilio and last is None:
            continue  # deleted before memadmin ever saw a version of it
        if group.deleted_in_twilio:
            current = None
        elif group.live_definition is not None:
            current = _definition(group.live_definition)
        else:
            Version.objects.bulk_create(rows)
            continue
        known = last is not None and last.definition == current
        if not known or (current is not None and last.version != group.live_version):
            rows.append(
                Version(
                    trait_group=group,
                    version=None if current is None else group.live_version,
                    definition=current,
                    source="import",
                    seen_at=seen_at,
                )
            )
        Version.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("traitgroups", "0002_trait_group_version_history"),
        ("operations", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
