"""The catalog's tests use the stores' emulator fixtures: the embedded emulator at step 0."""

from tests.stores.conftest import api, emulator  # noqa: F401
