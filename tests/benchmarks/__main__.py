"""`make bench`: runs every tests/benchmarks/bench_*.py and prints `BENCH <name> <value> <unit>`.

Each module exposes `run() -> list[tuple[name, value, unit]]` and owns its own set-up
(servers on loopback, temporary databases). Benchmarks live here, never in timed unit
tests, so that a slow CI machine cannot turn a speed goal into a flaky failure.
`python -m tests.benchmarks validate track` runs only the modules whose names match.
"""

import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memadmin.settings")
os.environ.setdefault("MEMADMIN_TESTING", "1")


def bench_modules(selected: list[str]) -> list[str]:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    return names


def main(argv: list[str]) -> int:
    failures = 0
    for name in bench_modules(argv):
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"tests.benchmarks.{name}")
            results = module.run()
        except Exception:
            failures += 1
            print(f"# {name} failed:", file=sys.stderr)
            traceback.print_exc()
            continue
        for metric, value, unit in results:
            print(f"BENCH {metric} {value:.3f} {unit}", flush=True)
        print(f"# {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
