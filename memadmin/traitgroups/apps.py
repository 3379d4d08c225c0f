from django.apps import AppConfig


class TraitGroupsConfig(AppConfig):
    """Trait groups: drafts, revisions, the form builder, review and publishing."""

    name = "memadmin.traitgroups"
    label = "traitgroups"

    def ready(self) -> None:
        # A finished operation publishes (or fails) its revision: see receivers.py.
        from memadmin.traitgroups import receivers  # noqa: F401
