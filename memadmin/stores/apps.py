from django.apps import AppConfig


class StoresConfig(AppConfig):
    """Stores as Twilio sees them: connection checks, sync of live groups, drift, promotion."""

    name = "memadmin.stores"
    label = "stores"
