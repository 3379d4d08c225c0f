from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


class AuditConfig(AppConfig):
    """Append-only, hash-chained audit events; lookup and export."""

    name = "memadmin.audit"
    label = "audit"

    def ready(self):
        checks.register(signing_key_check)


def signing_key_check(app_configs, **kwargs):
    """A malformed AUDIT_SIGNING_KEY stops start-up, not the first audited action."""
    from memadmin.audit.checkpoints import signing_key

    try:
        signing_key()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="audit.E001")]
    return []
