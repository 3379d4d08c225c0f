from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Every live version of every group: its history, restores, a store on any date."""

    name = "memadmin.history"
    label = "history"
