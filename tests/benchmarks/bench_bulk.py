"""200 trait groups created against the standalone emulator: memadmin's bulk path vs the
official `twilio` library in a plain loop, each into its own store.

Both sides then list their store and must find exactly the 200 groups they sent: none
lost, none duplicated. Goal: memadmin's `submit_bulk` at least 1.5x as fast.
"""

import logging
import sys
import time
from collections import Counter

import django

from tests.benchmarks.bench_track import PASSWORD, USERNAME, standalone_emulator

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
    names = Counter(
        g.display_name
        for g in client.iter_trait_groups(store_id)
        if g.display_name.startswith(prefix)
    )
    expected = {f"{prefix}{i:03d}" for i in range(GROUPS)}
    if set(names) != expected or any(count != 1 for count in names.values()):
        missing = sorted(expected - set(names))[:5]
        raise RuntimeError(f"{prefix}: {len(names)} groups, missing e.g. {missing}")


# A real Twilio round trip costs tens of milliseconds; on loopback it costs well under one,
# and both sides are then bound by the CPU of two cores. The second race gives every
# emulator answer a 10 ms delay, closer to what the bulk path is for.
LATENCIES = {"": "", "_10ms_rtt": f"{GROUPS * 10}:0.01"}


def race(slow_next: str) -> tuple[float, float]:
    """(memadmin bulk seconds, twilio library seconds) for GROUPS creates each."""
    from twilio.rest import Client
    from twilio.rest.memory.v1.trait_group import TraitGroupList

    from memadmin.emulator.seed import store_id_for
    from memadmin.memory_api import BulkItem, MemoryApiClient, submit_bulk

    ours, theirs = store_id_for(0), store_id_for(1)
    extra = {"EMULATOR_SLOW_NEXT": slow_next} if slow_next else {}
    with standalone_emulator(step_seconds=0, **extra) as api_url:
        client = MemoryApiClient(base_url=api_url, username=USERNAME, password=PASSWORD)
        items = [
            BulkItem(key=str(i), method="create", store_id=ours, body=request_body(f"Bulk{i:03d}"))
            for i in range(GROUPS)
        ]
        started = time.perf_counter()
        outcomes = submit_bulk(items, client=client, concurrency=CONCURRENCY)
        client_seconds = time.perf_counter() - started
        failed = [o for o in outcomes if not o.ok]
        if failed:
            raise RuntimeError(f"{len(failed)} bulk submissions failed: {failed[0].error}")

        # Its per-request INFO logging would slow the library down: not a fair race.
        logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
        sdk = Client(USERNAME, PASSWORD)
        sdk.memory.base_url = api_url
        groups = sdk.memory.v1.trait_groups(theirs)
        started = time.perf_counter()
        for i in range(GROUPS):
            groups.create(
                trait_group_request=TraitGroupList.TraitGroupRequest(request_body(f"Sdk{i:03d}"))
            )
        sdk_seconds = time.perf_counter() - started

        verify(client, ours, "Bulk")
        verify(client, theirs, "Sdk")
        client.close()
    return client_seconds, sdk_seconds


def run() -> list[tuple[str, float, str]]:
    django.setup()
    results = []
    for suffix, slow_next in LATENCIES.items():
        client_seconds, sdk_seconds = race(slow_next)
        results += [
            (f"client_create_200_s{suffix}", client_seconds, "s"),
            (f"twilio_sdk_create_200_s{suffix}", sdk_seconds, "s"),
            (f"client_vs_sdk_speedup{suffix}", sdk_seconds / client_seconds, "x"),
        ]
    print(f"# bulk: {GROUPS} groups, concurrency {CONCURRENCY}", file=sys.stderr)
    return results
