"""API tokens: each belongs to one user and acts with one of their roles, never more."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from memadmin.accounts.roles import ROLE_PERMISSIONS, ROLES


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; `prefix` names it safely."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(max_length=64)
    role = models.CharField(max_length=16, choices=[(role, role) for role in ROLES])
    # The public part of the token (`mma_<prefix>_…`): shown in lists and audit records.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token '{self.label}' ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TokenHolder(get_user_model()):
    """The token's user as the API sees them: their permissions, narrowed to the token's role.

    A proxy of the user model, so services that record `author=actor` or audit the actor
    accept it as the user it is; `has_perm` is the only difference.
    """

    token: ApiToken | None = None

    class Meta:
        proxy = True
        default_permissions = ()

    def has_perm(self, perm, obj=None) -> bool:
        role = self.token.role if self.token else None
        return perm in ROLE_PERMISSIONS.get(role, ()) and super().has_perm(perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)
