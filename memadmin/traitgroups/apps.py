from django.apps import AppConfig


class TraitGroupsConfig(AppConfig):
    """Trait groups: drafts, revisions, the form builder, review and publishing."""

    name = "memadmin.traitgroups"
    label = "traitgroups"
