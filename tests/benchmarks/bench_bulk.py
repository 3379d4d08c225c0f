"""200 trait groups created against the standalone emulator over HTTP: memadmin's bulk
path vs the official `twilio` library in a plain loop (as its users write it), each into
its own store.

Both sides then list their store and must find exactly the groups they sent: none lost,
none duplicated. The headline, `client_vs_sdk_speedup_20ms_rtt`, gives every answer a
20 ms round trip, as Twilio's are across the internet. Goal: memadmin's `submit_bulk`
at least 5x as fast there. The loopback race, where both sides are bound by the CPU of
two shared cores instead, is kept as a secondary line.

`outbox_submit_200_s` adds, for scale, what publishing costs end to end: the same 200
creates as saved outbox rows sent by `operations.bulk.submit_many`, each answer recorded
with its audit events and first poll (no goal; the library stores nothing).
"""

import logging
import statistics
import sys
import tempfile
import time
from collections import Counter

import django

from tests.benchmarks.bench_track import (
    PASSWORD,
    SUBMIT,
    USERNAME,
    memadmin_environment,
    shell,
    standalone_emulator,
)
from tests.benchmarks.servers import manage

GROUPS = 200
CONCURRENCY = 8


def request_body(name: str) -> dict:
    return {
        "displayName": name,
        "description": "Benchmark group",
        "traits": {
            "tier": {
                "dataType": "STRING",
                "validationRule": {"ruleType": "STRING", "maxLength": 16},
            },
            "points": {"dataType": "NUMBER"},
        },
    }


def verify(client, store_id: str, prefix: str) -> None:
    """Exactly one group per name sent, nothing missing."""
    counts = Counter(
        g.display_name
        for g in client.iter_trait_groups(store_id)
        if g.display_name.startswith(prefix)
    )
    expected = set(names(prefix))
    if set(counts) != expected or any(count != 1 for count in counts.values()):
        missing = sorted(expected - set(counts))[:5]
        raise RuntimeError(f"{prefix}: {len(counts)} groups, missing e.g. {missing}")


# A real Twilio round trip costs tens of milliseconds; on loopback it costs well under one.
# EMULATOR_SLOW_NEXT is "count:seconds": every request of every round waits 20 ms in its
# server thread (a sleep, so concurrent requests overlap their waits as they would in flight).
LATENCIES = {"_20ms_rtt": "1000000:0.02", "": ""}
# Each side runs this many times, alternating, and the medians are compared: one batch
# takes well under a second on loopback, where a noisy neighbour can skew a single run.
ROUNDS = 3


def race(slow_next: str) -> tuple[list[float], list[float]]:
    """Seconds per round for GROUPS creates: (memadmin bulk, twilio library loop)."""
    from twilio.rest import Client
    from twilio.rest.memory.v1.trait_group import TraitGroupList

    from memadmin.emulator.seed import store_id_for
    from memadmin.memory_api import BulkItem, MemoryApiClient, submit_bulk

    ours, theirs = store_id_for(0), store_id_for(1)
    extra = {"EMULATOR_SLOW_NEXT": slow_next} if slow_next else {}
    with standalone_emulator(step_seconds=0, **extra) as api_url:
        client = MemoryApiClient(base_url=api_url, username=USERNAME, password=PASSWORD)
        # Its per-request INFO logging would slow the library down: not a fair race.
        logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
        sdk = Client(USERNAME, PASSWORD)
        sdk.memory.base_url = api_url
        groups = sdk.memory.v1.trait_groups(theirs)

        def bulk(prefix: str) -> None:
            items = [
                BulkItem(key=str(i), method="create", store_id=ours, body=request_body(name))
                for i, name in enumerate(names(prefix))
            ]
            failed = [
                o for o in submit_bulk(items, client=client, concurrency=CONCURRENCY) if not o.ok
            ]
            if failed:
                raise RuntimeError(f"{len(failed)} bulk submissions failed: {failed[0].error}")

        def loop(prefix: str) -> None:
            for name in names(prefix):
                groups.create(
                    trait_group_request=TraitGroupList.TraitGroupRequest(request_body(name))
                )

        # One untimed batch each first: connections opened, lazy imports done.
        bulk("WarmUpBulk")
        loop("WarmUpSdk")
        client_seconds, sdk_seconds = [], []
        for round_ in range(ROUNDS):
            client_seconds.append(timed(bulk, f"Bulk{round_}x"))
            sdk_seconds.append(timed(loop, f"Sdk{round_}x"))
        for round_ in range(ROUNDS):
            verify(client, ours, f"Bulk{round_}x")
            verify(client, theirs, f"Sdk{round_}x")
        client.close()
    return client_seconds, sdk_seconds


ROUND_TRIPS = 200


def round_trip_ms() -> float:
    """One GET of the Contact group through memadmin's client on loopback, in milliseconds."""
    from memadmin.emulator.seed import store_id_for
    from memadmin.memory_api import MemoryApiClient

    with standalone_emulator(step_seconds=0) as api_url:
        client = MemoryApiClient(base_url=api_url, username=USERNAME, password=PASSWORD)
        client.fetch_trait_group(store_id_for(0), "Contact")  # the connection is open
        started = time.perf_counter()
        for _ in range(ROUND_TRIPS):
            client.fetch_trait_group(store_id_for(0), "Contact")
        elapsed = time.perf_counter() - started
        client.close()
    return elapsed / ROUND_TRIPS * 1000


def names(prefix: str) -> list[str]:
    return [f"{prefix}{i:03d}" for i in range(GROUPS)]


def timed(send, prefix: str) -> float:
    started = time.perf_counter()
    send(prefix)
    return time.perf_counter() - started


def outbox_seconds() -> float:
    """200 saved outbox rows sent by `submit_many` in a process of its own, answers recorded."""
    with (
        tempfile.TemporaryDirectory(prefix="memadmin-bulk-") as var_dir,
        standalone_emulator(step_seconds=0) as api_url,
    ):
        env = memadmin_environment(var_dir, api_url)
        manage(env, "migrate", "--no-input")
        return float(shell(env, SUBMIT % {"count": GROUPS, "concurrency": CONCURRENCY}))


def run() -> list[tuple[str, float, str]]:
    django.setup()
    results = []
    for suffix, slow_next in LATENCIES.items():
        client_runs, sdk_runs = race(slow_next)
        client_seconds, sdk_seconds = statistics.median(client_runs), statistics.median(sdk_runs)
        results += [
            (f"client_create_200_s{suffix}", client_seconds, "s"),
            (f"twilio_sdk_create_200_s{suffix}", sdk_seconds, "s"),
            (f"client_vs_sdk_speedup{suffix}", sdk_seconds / client_seconds, "x"),
        ]
        spread = ", ".join(f"{s / c:.2f}" for c, s in zip(client_runs, sdk_runs, strict=True))
        print(f"# bulk{suffix or ' loopback'}: speedup per round {spread}", file=sys.stderr)
    print(f"# bulk: {GROUPS} groups x {ROUNDS} rounds, concurrency {CONCURRENCY}", file=sys.stderr)
    results.append(("outbox_submit_200_s", outbox_seconds(), "s"))
    results.append(("emulator_round_trip_ms", round_trip_ms(), "ms"))
    return results
