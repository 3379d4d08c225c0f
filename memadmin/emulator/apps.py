"""Django app registration; the emulator needs no models, only its management command."""

from django.apps import AppConfig


class EmulatorConfig(AppConfig):
    """Registers `memory_emulator`; the emulator itself is framework-free."""

    name = "memadmin.emulator"
    label = "emulator"
    verbose_name = "Memory API emulator"
