"""Data mappings as memadmin last synced them: which ingestion source writes which traits.

There is no store table in memadmin (stores are Twilio's and are named by their TTID
everywhere, as `TraitGroup.store_id` is), so a mapping names its store by id too.
"""

from django.db import models


class DataMapping(models.Model):
    """One of a store's data mappings; the sync replaces a store's whole set at once."""

    class Source(models.TextChoices):
        INGRESS = "INGRESS", "Ingress"
        DATASET_CLOUDAPP = "DATASET_CLOUDAPP", "Cloud app dataset"
        DATASET_WAREHOUSE = "DATASET_WAREHOUSE", "Warehouse dataset"

    store_id = models.CharField(max_length=40, db_index=True)
    # Twilio's `mem_datamapping_…` id.
    mapping_id = models.CharField(max_length=64)
    display_name = models.CharField(max_length=64)
    source = models.CharField(max_length=32, choices=Source)
    # [{"traitGroup": str, "traitName": str, "expression": str}, …]: the traits it writes.
    targets = models.JSONField(default=list)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["store_id", "display_name", "mapping_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store_id", "mapping_id"], name="datamapping_unique_per_store"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.store_id})"

    def writes(self, group_name: str) -> list[str]:
        """The names of the traits of `group_name` this mapping writes, in its order."""
        return [t["traitName"] for t in self.targets if t.get("traitGroup") == group_name]
