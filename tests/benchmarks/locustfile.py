"""The load `make bench` puts on the production server: people browsing, building, searching.

Run by bench_load.py as `locust --headless`, one offered rate at a time: every simulated
person is paced at a constant throughput from their own arrival (pacing.py), so the
whole crowd offers `users x BENCH_LOAD_USER_RPS` requests a second whatever the server
does. People arrive signed in (bench_load.py signs in once per role and hands the
session cookies over in BENCH_LOAD_SESSIONS): sign-in is set-up, not the browsing the
capacity speaks of.
bench_load.py names the classes to run: Operator and Auditor (the mixed workload), or
Bare alone (only `/bench/bare/`, the floor).
Not collected by pytest (no test_ prefix).
"""

import json
import os
import random
import time

import gevent
from locust import HttpUser, events, task

from tests.benchmarks.bench_validate import whole_form
from tests.benchmarks.pacing import Pacing

STORE_ID = "mem_store_00000000000000000000000000"
SEARCHES = ["traitgroup", "auth", "operator", "Contact", "signed_in", "review"]
USER_RPS = float(os.environ.get("BENCH_LOAD_USER_RPS", "1"))
# (name, milliseconds, failed, finished at) of every request, for bench_load.
requests_made: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def remember(name, response_time, exception, **kwargs):
    requests_made.append((name, response_time, exception is not None, time.monotonic()))


@events.quitting.add_listener
def write_out(environment, **kwargs):
    with open(os.environ["BENCH_LOAD_OUTPUT"], "w") as out:
        json.dump(requests_made, out)


class Person(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        cookies = json.loads(os.environ["BENCH_LOAD_SESSIONS"])[self.role]
        self.client.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.csrf = cookies["csrftoken"]
        # People arrive spread over one pacing interval, not all in the same instant.
        gevent.sleep(random.uniform(0, 1 / USER_RPS))
        self.pacing = Pacing(1 / USER_RPS)

    def wait_time(self) -> float:
        return self.pacing.wait()


class Operator(Person):
    weight = 3
    role = "operator"
    form = json.dumps(whole_form(20))

    @task(3)
    def group_list(self):
        self.client.get(f"/stores/{STORE_ID}/groups/", name="trait group list")

    @task(3)
    def group_detail(self):
        self.client.get(f"/stores/{STORE_ID}/groups/Contact/", name="trait group detail")

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(4)
    def live_validate(self):
        field = f"traits-{random.randrange(20)}-name"
        self.client.post(
            f"/stores/{STORE_ID}/builder/validate/",
            data=self.form,
            headers={
                "HX-Request": "true",
                "HX-Trigger-Name": field,
                "Content-Type": "application/json",
                "X-CSRFToken": self.csrf,
                "Referer": f"{self.host}/",
            },
            name="live validation",
        )


class Auditor(Person):
    weight = 1
    role = "auditor"

    @task
    def search_audit_log(self):
        self.client.get("/audit/", params={"q": random.choice(SEARCHES)}, name="audit search")


class Bare(Person):
    role = "operator"

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare")
