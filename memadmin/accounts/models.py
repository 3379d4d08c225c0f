"""Accounts use Django's User and Group; this model only carries role-level permissions."""

from django.db import models


class RoleAssignment(models.Model):
    """Anchors the `manage_roles` permission; roles themselves are Django groups."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("manage_roles", "Can assign roles to users")]

    def __str__(self) -> str:
        return "role assignment"
