from django.apps import AppConfig


class TraitGroupsConfig(AppConfig):
    """Trait groups: live groups, drafts and revisions, the form builder, versions."""

    name = "memadmin.traitgroups"
    label = "traitgroups"
