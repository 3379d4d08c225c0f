"""Each page's server time beside a bare view's, in one process, through Django's test client.

A process of its own (production settings, DEBUG off, a migrated temporary SQLite
database, the embedded emulator) is filled with what a working team has: 50 groups in a
store, a 95-trait group with 30 revisions, a review of a 95-trait change, 200 operations,
2,000 audit events. Then every page and htmx endpoint is requested by a signed-in user of
the right role, in rounds that interleave it with `/bench/bare/` (same middleware, a
trivial template; routed only by tests/benchmarks/urls.py), so that a neighbour's load
hits both alike. Reports median page time / median bare time, and queries per page.
Goal: `page_cost_ratio_worst` <= 5 x.
"""

import json
import os
import statistics
import sys
import time

from tests.benchmarks.servers import BENCH_PASSWORD, run_benchmark_child

ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "40"))
WARMUP = 3
GROUPS = 50
REVISIONS = 30
OPERATIONS = 200
AUDIT_EVENTS = 2000
MAX_TRAITS = 95


def trait_definitions(count: int, *, variant: str = "") -> dict:
    """`count` traits of every data type, with rules; `variant` changes each description."""
    traits = {}
    for i in range(count):
        data_type = ("STRING", "NUMBER", "ARRAY", "BOOLEAN")[i % 4]
        rule = {
            "STRING": {"ruleType": "STRING", "pattern": r"^[a-z]+\d*$", "maxLength": 64},
            "NUMBER": {"ruleType": "NUMBER", "min": 0, "max": 100 + len(variant)},
            "ARRAY": {"ruleType": "ARRAY", "minItems": 0, "maxItems": 10},
            "BOOLEAN": {"ruleType": "BOOLEAN"},
        }[data_type]
        traits[f"trait{i}"] = {
            "dataType": data_type,
            "description": f"Trait number {i}{variant}",
            "validationRule": rule,
        }
    return traits


def _seed() -> dict:
    """The data every page shows; returns the users and the objects pages are about."""
    from django.core.management import call_command

    from memadmin.accounts.services import create_user_with_role
    from memadmin.audit import services as audit
    from memadmin.emulator.seed import store_id_for
    from memadmin.memory_api import memory_api_client
    from memadmin.operations import services as operations
    from memadmin.reviews import services as reviews
    from memadmin.stores.services import sync_store
    from memadmin.traitgroups import services as drafts
    from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    users = {
        role: create_user_with_role(
            username=f"bench-{role.lower()}", password=BENCH_PASSWORD, role=role
        )
        for role in ("Operator", "Reviewer", "Auditor", "Admin")
    }
    store = store_id_for(0)
    api = memory_api_client()
    for i in range(GROUPS - 2):  # with Loyalty and the store's built-in Contact: 50
        body = {"displayName": f"Group{i:02d}", "traits": trait_definitions(8)}
        api.create_trait_group(store, body)
    loyalty = {
        "displayName": "Loyalty",
        "description": "Loyalty programme",
        "traits": trait_definitions(MAX_TRAITS),
    }
    api.create_trait_group(store, loyalty)
    sync_store(store_id=store)
    group = TraitGroup.objects.get(store_id=store, name="Loyalty")
    if group.trait_count != MAX_TRAITS:
        raise RuntimeError(f"the 95-trait group has {group.trait_count} traits after sync")

    operator, reviewer = users["Operator"], users["Reviewer"]
    for i in range(REVISIONS - 2):  # the group's history: published revisions
        definition = {**loyalty, "traits": trait_definitions(MAX_TRAITS, variant=f" v{i}")}
        old = drafts.create_draft(
            store_id=store, definition=definition, author=operator, trait_group=group
        )
        TraitGroupRevision.objects.filter(pk=old.pk).update(state="published")
    changed = {**loyalty, "traits": trait_definitions(MAX_TRAITS, variant=" (reworded)")}
    in_review = drafts.create_draft(
        store_id=store, definition=changed, author=operator, trait_group=group
    )
    reviews.submit_for_review(revision=in_review, actor=operator)
    draft = drafts.start_edit(trait_group=group, author=operator)  # the 30th: the open draft
    for i in range(10):  # the inbox: new groups waiting for review, in the other store
        new = drafts.create_draft(  # (Twilio allows 50 groups per store: this one is full)
            store_id=store_id_for(1),
            definition={"displayName": f"New{i}", "traits": trait_definitions(5)},
            author=operator,
        )
        reviews.submit_for_review(revision=new, actor=operator)
    for i in range(OPERATIONS):
        operations.start_operation(
            kind="update",
            store_id=store,
            trait_group_name=f"Group{i % (GROUPS - 2):02d}",
            body={"description": f"change {i}"},
            actor=reviewer,
        )
    actions = ["traitgroup.draft_saved", "auth.signed_in", "review.approved"]
    for i in range(AUDIT_EVENTS):
        audit.record(
            action=actions[i % 3], store_id=store, trait_group="Loyalty", detail=f"event {i}"
        )
    return {"users": users, "store": store, "review": in_review, "draft": draft}


def _pages(world: dict) -> dict[str, tuple]:
    """name -> (role, method, path, request arguments) for every page and htmx endpoint."""
    from tests.benchmarks.bench_validate import whole_form

    store = world["store"]
    validate = {
        "data": json.dumps(whole_form(MAX_TRAITS)),
        "content_type": "application/json",
        "headers": {"HX-Request": "true", "HX-Trigger-Name": "traits-48-maxLength"},
    }
    return {
        "home_operator": ("Operator", "get", "/", {}),
        "home_reviewer": ("Reviewer", "get", "/", {}),
        "home_auditor": ("Auditor", "get", "/", {}),
        "home_admin": ("Admin", "get", "/", {}),
        "stores": ("Operator", "get", "/stores/", {}),
        "store_groups": ("Operator", "get", f"/stores/{store}/groups/", {}),
        "group_detail": ("Reviewer", "get", f"/stores/{store}/groups/Loyalty/", {}),
        "builder": ("Operator", "get", f"/groups/revisions/{world['draft'].pk}/", {}),
        "live_validation": ("Operator", "post", f"/stores/{store}/builder/validate/", validate),
        "review_diff": ("Reviewer", "get", f"/reviews/{world['review'].pk}/", {}),
        "reviews_inbox": ("Reviewer", "get", "/reviews/", {}),
        "operations": ("Reviewer", "get", "/operations/", {}),
        "audit": ("Auditor", "get", "/audit/", {}),
        "audit_search": ("Auditor", "get", "/audit/", {"data": {"q": "event 1"}}),
    }


def _timed(client, method: str, path: str, arguments: dict) -> float:
    started = time.perf_counter()
    response = getattr(client, method)(path, **arguments)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
    return elapsed


def measure() -> list[tuple[str, float, str]]:
    """Runs inside the benchmark's own process (see `run`)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    world = _seed()
    clients = {}
    for role, user in world["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    pages = _pages(world)
    if only := os.environ.get("BENCH_PAGES"):  # e.g. "builder,review_diff" while working
        pages = {name: page for name, page in pages.items() if name in only.split(",")}
    bare = ("Operator", "get", "/bench/bare/", {})
    for role, method, path, arguments in [bare, *pages.values()]:
        for _ in range(WARMUP):
            _timed(clients[role], method, path, arguments)

    queries = {}
    for name, (role, method, path, arguments) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            _timed(clients[role], method, path, arguments)
        queries[name] = len(captured)

    bare_ms: list[float] = []
    page_ms: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(ROUNDS):  # interleaved, so drift on a shared machine hits both alike
        for name, (role, method, path, arguments) in pages.items():
            bare_ms.append(_timed(clients[bare[0]], *bare[1:]))
            page_ms[name].append(_timed(clients[role], method, path, arguments))

    bare_median = statistics.median(bare_ms)
    results = [("page_cost_bare_ms", bare_median, "ms")]
    ratios = {}
    for name, samples in page_ms.items():
        ratios[name] = statistics.median(samples) / bare_median
        results.append((f"page_cost_ratio_{name}", ratios[name], "x"))
    results.append(("page_cost_ratio_worst", max(ratios.values()), "x"))
    for name, samples in page_ms.items():
        results.append((f"page_ms_{name}", statistics.median(samples), "ms"))
    for name, count in queries.items():
        results.append((f"page_queries_{name}", float(count), "queries"))
    worst = max(ratios, key=ratios.get)
    print(f"# page_cost: worst is {worst}; {ROUNDS} rounds", file=sys.stderr)
    return results


def run() -> list[tuple[str, float, str]]:
    output = run_benchmark_child(
        "tests.benchmarks.bench_page_cost",
        DJANGO_SETTINGS_MODULE="tests.benchmarks.settings",
        ALLOWED_HOSTS="testserver",
        BENCH_PAGE_ROUNDS=str(ROUNDS),
        LOG_LEVEL="ERROR",
    )
    return [(name, value, unit) for name, value, unit in json.loads(output)]


def profile(names: list[str]) -> None:
    """`python -m tests.benchmarks.bench_page_cost --profile builder …`: pyinstrument's view
    of the named pages (and `bare`), in the same world, for finding where the time goes."""
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    world = _seed()
    pages = {**_pages(world), "bare": ("Operator", "get", "/bench/bare/", {})}
    for name in names:
        role, method, path, arguments = pages[name]
        client = Client()
        client.force_login(world["users"][role])
        for _ in range(WARMUP):
            _timed(client, method, path, arguments)
        requests = int(os.environ.get("PROFILE_REQUESTS", "20"))
        if os.environ.get("PROFILE_CPROFILE"):  # flat: which functions cost the most
            import cProfile
            import pstats

            with cProfile.Profile() as flat:
                for _ in range(requests):
                    _timed(client, method, path, arguments)
            pstats.Stats(flat, stream=sys.stderr).sort_stats("tottime").print_stats(25)
            continue
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(requests):
                _timed(client, method, path, arguments)
        print(
            profiler.output_text(
                unicode=True, short_mode=False, show_all=bool(os.environ.get("PROFILE_ALL"))
            ),
            file=sys.stderr,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--profile"]:
        profile(sys.argv[2:])
    else:
        print(json.dumps(measure()))
