"""One of each object a URL can name, so URL sweeps reach real views, not 404s."""

from dataclasses import dataclass

from django.utils import timezone

from memadmin.audit import services as audit
from memadmin.operations import services as operations
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion
from tests.url_inventory import SAMPLE_STORE_ID

CONTACT = {
    "displayName": "Contact",
    "description": "Who the customer is",
    "traits": {"email": {"dataType": "STRING", "idTypePromotion": "email"}},
}


@dataclass
class SampleWorld:
    trait_group: object
    version: object
    revision: object
    operation: object
    event: object
    person: object

    def path_for(self, name: str, path: str) -> str:
        """Replaces the sweep's placeholders with these objects' ids."""
        namespace = name.split(":")[0]
        pk = {
            "traitgroups": self.revision.pk,
            "reviews": self.revision.pk,
            "api": self.revision.pk,
            "operations": self.operation.pk,
            "audit": self.event.pk,
            "history": self.version.pk,
            "dryrun": self.revision.pk,  # no dry run exists: its own pages answer 404
        }.get(namespace)
        if name.startswith("person"):
            # People pages name a user; ids are not reused on PostgreSQL, so not "1".
            pk = self.person.pk
        path = path.replace("/placeholder/", f"/{self.trait_group.name}/")
        if pk is not None:
            path = path.replace("/1/", f"/{pk}/")
        return path


def make_sample_world(author) -> SampleWorld:
    group = TraitGroup.objects.create(
        store_id=SAMPLE_STORE_ID,
        name="Contact",
        live_definition=CONTACT,
        live_version=1,
        live_etag='"v1"',
    )
    # An older version than the live one, so that it can be restored.
    version = TraitGroupVersion.objects.create(
        trait_group=group,
        version=0,
        definition={**CONTACT, "traits": {}},
        source=TraitGroupVersion.Source.IMPORT,
        seen_at=timezone.now(),
    )
    revision = drafts.create_draft(
        store_id=SAMPLE_STORE_ID, definition=CONTACT, author=author, trait_group=group
    )
    operation = operations.start_operation(
        kind="update",
        store_id=SAMPLE_STORE_ID,
        trait_group_name="Contact",
        body={"description": "x"},
        revision=revision,
        actor=author,
    )
    event = audit.record(action="traitgroup.draft_saved", actor=author, store_id=SAMPLE_STORE_ID)
    return SampleWorld(group, version, revision, operation, event, person=author)
