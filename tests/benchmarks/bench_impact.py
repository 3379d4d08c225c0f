"""The impact panel of a 95-trait revision, from stored data: `impact_panel_ms` (p95).

A process of its own (production settings, a migrated temporary SQLite database) holds
a store with 50 groups and 100 data mappings (each writing a handful of traits), and a
95-trait revision that removes, retypes, tightens and re-promotes traits, with a finished
dry run. Each sample loads what the panel shows (mappings, dry run, diff, tier) and
renders it, as the review page and the builder's endpoint do. Goal: p95 < 30 ms.
"""

import json
import os
import statistics
import time

from tests.benchmarks.servers import run_benchmark_child

SAMPLES = int(os.environ.get("BENCH_IMPACT_SAMPLES", "200"))
WARMUP = 10
GROUPS = 50
MAPPINGS = 100
TRAITS = 95
STORE_ID = "mem_store_00000000000000000000000000"


def _traits(count: int) -> dict:
    return {
        f"trait{i}": {
            "dataType": "STRING",
            "description": f"Trait number {i}",
            "validationRule": {"ruleType": "STRING", "maxLength": 64},
            **({"idTypePromotion": "email"} if i % 19 == 0 else {}),
        }
        for i in range(count)
    }


def _proposed(live: dict) -> dict:
    """Every fifth trait removed, every fifth retyped, every fifth tightened, the rest kept."""
    traits = {}
    for i, (name, trait) in enumerate(live["traits"].items()):
        if i % 5 == 0:
            continue
        if i % 5 == 1:
            trait = {"dataType": "NUMBER"}
        elif i % 5 == 2:
            trait = {**trait, "validationRule": {"ruleType": "STRING", "maxLength": 8}}
        traits[name] = trait
    for i in range(TRAITS - len(traits)):
        traits[f"added{i}"] = {"dataType": "BOOLEAN"}
    return {**live, "traits": traits}


def _seed():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from memadmin.catalog.models import DataMapping
    from memadmin.dryrun.models import DryRun
    from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
    from memadmin.traitgroups.selectors import content_digest

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_COLLECTSTATIC", "1") == "1":
        call_command("collectstatic", interactive=False, verbosity=0)
    author = get_user_model().objects.create_user(username="bench-author")
    groups = []
    for i in range(GROUPS):
        name = "Loyalty" if i == 0 else f"Group{i:02d}"
        live = {"displayName": name, "traits": _traits(TRAITS if i == 0 else 8)}
        groups.append(
            TraitGroup.objects.create(
                store_id=STORE_ID, name=name, live_definition=live, live_version=1
            )
        )
    for i in range(MAPPINGS):
        group = groups[i % GROUPS]
        names = list(group.live_definition["traits"])[(i // GROUPS) * 4 :][:4] or ["trait0"]
        DataMapping.objects.create(
            store_id=STORE_ID,
            mapping_id=f"mem_datamapping_{i:026d}",
            display_name=f"Source {i}",
            source="INGRESS",
            targets=[
                {"traitGroup": group.name, "traitName": name, "expression": f"$.{name}"}
                for name in names
            ],
            synced_at=timezone.now(),
        )
    loyalty = groups[0]
    revision = TraitGroupRevision.objects.create(
        trait_group=loyalty,
        store_id=STORE_ID,
        kind=TraitGroupRevision.Kind.UPDATE,
        definition=_proposed(loyalty.live_definition),
        base_definition=loyalty.live_definition,
        base_version=1,
        author=author,
    )
    DryRun.objects.create(
        revision=revision,
        store_id=STORE_ID,
        live_version=1,
        definition_digest=content_digest(revision.definition),
        state=DryRun.State.DONE,
        sample_size=1000,
        sampled=1000,
        violations={
            f"trait{i}": {"rejected": i, "sampled": 1000, "reason": "maxLength"} for i in range(95)
        },
    )
    return revision


def measure() -> list[tuple[str, float, str]]:
    """Runs inside the benchmark's own process (see `run`)."""
    import django

    django.setup()
    from django.template.loader import get_template

    from memadmin.impact import selectors
    from memadmin.traitgroups.models import TraitGroupRevision

    pk = _seed().pk
    template = get_template("impact/review_panel.html")

    def panel() -> str:
        revision = TraitGroupRevision.objects.select_related("trait_group").get(pk=pk)
        return template.render({"assessment": selectors.assess_revision(revision)})

    html = panel()
    if "HIGH risk" not in html or "Source" not in html:
        raise RuntimeError("the panel did not show the risk and the mappings")
    for _ in range(WARMUP):
        panel()
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        panel()
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[18]
    return [("impact_panel_ms", p95, "ms")]


def run() -> list[tuple[str, float, str]]:
    output = run_benchmark_child("tests.benchmarks.bench_impact", LOG_LEVEL="ERROR")
    return [tuple(result) for result in json.loads(output)]


if __name__ == "__main__":
    print(json.dumps(measure()))
