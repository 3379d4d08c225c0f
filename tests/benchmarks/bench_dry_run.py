"""A data dry run over 1,000 profiles with a 20 ms emulated round trip per request.

Every request to the emulator waits 20 ms before it is answered (a WSGI wrapper here, in
place of an emulator latency setting), so reading 1,000 profiles one after the other
would take at least 20 s, plus ten pages of ids. memadmin's dry run reads them through
its one client with `DRY_RUN_CONCURRENCY` reads in flight. Goal: under 8 s.

It runs in a child process with its own migrated SQLite database, so its settings never
meet another benchmark's.
"""

import os
import time

from tests.benchmarks.servers import run_benchmark_child

ROUND_TRIP_SECONDS = 0.020
PROFILES = 1000


def run() -> list[tuple[str, float, str]]:
    output = run_benchmark_child(
        "tests.benchmarks.bench_dry_run",
        MEMORY_API_URL="emulator",
        MEMADMIN_TESTING="1",
        DRY_RUN_SAMPLE_SIZE=str(PROFILES),
    )
    return [("dry_run_1000_profiles_s", float(output.strip().splitlines()[-1]), "s")]


class Latency:
    """A WSGI app that answers like `app`, `seconds` later."""

    def __init__(self, app, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    def __call__(self, environ, start_response):
        time.sleep(self.seconds)
        return self.app(environ, start_response)


def child() -> float:
    import django

    django.setup()
    import httpx
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from memadmin.dryrun import services
    from memadmin.dryrun.sampling import run_dry_run
    from memadmin.emulator import Emulator
    from memadmin.memory_api import MemoryApiClient
    from memadmin.traitgroups import services as drafts
    from memadmin.traitgroups.models import TraitGroup
    from tests.dryrun.fakes import LIVE_CONTACT, SANDBOX, tightened_contact

    call_command("migrate", "--no-input", verbosity=0)
    author = get_user_model().objects.create_user("bench-author")
    group = TraitGroup.objects.create(
        store_id=SANDBOX, name="Contact", live_definition=LIVE_CONTACT, live_version=1
    )
    revision = drafts.create_draft(
        store_id=SANDBOX, definition=tightened_contact(), author=author, trait_group=group
    )
    emulator = Emulator(
        username=settings.MEMORY_API_USERNAME, password=settings.MEMORY_API_PASSWORD
    )
    client = MemoryApiClient(
        base_url="http://memory-emulator.local",
        username=settings.MEMORY_API_USERNAME,
        password=settings.MEMORY_API_PASSWORD,
        transport=httpx.WSGITransport(app=Latency(emulator, ROUND_TRIP_SECONDS)),
    )
    run = services.start_dry_run(revision=revision, actor=author)
    started = time.perf_counter()
    run = run_dry_run(run.pk, client=client)
    elapsed = time.perf_counter() - started
    if run.state != "done" or run.sampled != PROFILES or not run.rejected_traits:
        raise RuntimeError(f"dry run ended {run.state} after {run.sampled} profiles")
    return elapsed


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memadmin.settings")
    print(f"{child():.3f}")
