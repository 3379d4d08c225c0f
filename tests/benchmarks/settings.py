"""memadmin's settings plus a bare view's URL, for benchmarks only: never deployed."""

from memadmin.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
