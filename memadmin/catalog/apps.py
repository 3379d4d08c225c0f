from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """What writes each trait: data mappings synced from Twilio, and the trait catalog."""

    name = "memadmin.catalog"
    label = "catalog"
