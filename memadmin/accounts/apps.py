from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Sign-in, roles (Django groups with permissions) and the demo users."""

    name = "memadmin.accounts"
    label = "accounts"

    def ready(self) -> None:
        from memadmin.accounts import services, signals

        # Roles are re-synced after every migrate, so a permission a later migration
        # adds reaches its role without a data migration of its own.
        post_migrate.connect(services.sync_roles_after_migrate, dispatch_uid="sync_roles")
        # Sign-ins, sign-outs, failed sign-ins and role changes go to the audit log.
        signals.connect()
