from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Append-only, hash-chained audit events; lookup and export."""

    name = "memadmin.audit"
    label = "audit"
