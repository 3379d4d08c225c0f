from django.apps import AppConfig


class DryRunConfig(AppConfig):
    """Data dry runs: how many live profile values a proposed definition would reject."""

    name = "memadmin.dryrun"
    label = "dryrun"
