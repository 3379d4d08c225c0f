from django.apps import AppConfig


class SchemaFilesConfig(AppConfig):
    """Schemas as code: a store's trait groups as files, planned and proposed for review."""

    name = "memadmin.schemafiles"
    label = "schemafiles"
