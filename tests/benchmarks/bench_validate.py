"""Live validation of one field of a 95-trait builder form, over HTTP, beside a bare view.

A production server (gunicorn on loopback, its own migrated SQLite database) answers
N POSTs of the whole form, as the builder's `hx-include` sends it (JSON, see
static/js/builder.js), each validating one trait field,
and as many GETs of `/healthz`, the bare view. Reports p50/p99 and the p99 ratio.
"""

import json
import statistics
import time

from tests.benchmarks.servers import production_server, signed_in_client

REQUESTS = 500
WARMUP = 30
STORE_ID = "mem_store_00000000000000000000000000"


def _string_rule(key):
    return {
        f"traits-{key}-pattern": r"^[a-z]+\d*$",
        f"traits-{key}-minLength": "1",
        f"traits-{key}-maxLength": "64",
    }


rule_fields = {
    "STRING": _string_rule,
    "NUMBER": lambda key: {f"traits-{key}-min": "0", f"traits-{key}-max": "100"},
    "ARRAY": lambda key: {f"traits-{key}-minItems": "0", f"traits-{key}-maxItems": "10"},
    "BOOLEAN": lambda key: {},
}


def whole_form(trait_count: int = 95) -> dict:
    """What the builder posts for a 95-trait group: every field its rows show."""
    data: dict = {"displayName": "loyalty-program", "description": "x" * 200, "trait_keys": []}
    for key in range(trait_count):
        data["trait_keys"].append(str(key))
        data[f"traits-{key}-name"] = f"trait{key}"
        data[f"traits-{key}-dataType"] = ("STRING", "NUMBER", "ARRAY", "BOOLEAN")[key % 4]
        data[f"traits-{key}-description"] = f"Trait number {key}"
        data[f"traits-{key}-idTypePromotion"] = "email" if key == 0 else ""
        data.update(rule_fields[data[f"traits-{key}-dataType"]](key))
    data["revision"] = ""
    data["lock_version"] = ""
    data["fixed_name"] = ""
    return data


def _timed(send, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = send()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"unexpected {response.status_code}: {response.text[:300]}")
    return timings


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def run() -> list[tuple[str, float, str]]:
    with production_server(workers=2, threads=1) as server:
        client = signed_in_client(server.base, "bench-operator")
        url = f"/stores/{STORE_ID}/builder/validate/"
        body = json.dumps(whole_form())
        headers = {
            "HX-Request": "true",
            "HX-Trigger-Name": "traits-48-maxLength",
            "Content-Type": "application/json",
        }

        def validate():
            return client.post(url, content=body, headers=headers)

        def bare():
            return client.get("/healthz")

        _timed(validate, WARMUP)
        _timed(bare, WARMUP)
        validate_ms, bare_ms = [], []
        for _ in range(REQUESTS // 50):  # interleaved, so drift hits both alike
            validate_ms += _timed(validate, 50)
            bare_ms += _timed(bare, 50)
        client.close()
    p99 = _p99(validate_ms)
    return [
        ("validate_95_p50_ms", statistics.median(validate_ms), "ms"),
        ("validate_95_p99_ms", p99, "ms"),
        ("validate_vs_bare_ratio", p99 / _p99(bare_ms), "x"),
    ]
