"""The load `make bench` puts on the production server: people browsing, building, searching.

Run by bench_load.py as `locust --headless`; each simulated person signs in through the
real login form first. Not collected by pytest (no test_ prefix).
"""

import json
import os
import random
import time

from locust import HttpUser, between, events, task

from tests.benchmarks.bench_validate import whole_form
from tests.benchmarks.servers import BENCH_PASSWORD

STORE_ID = "mem_store_00000000000000000000000000"
SEARCHES = ["traitgroup", "auth", "operator", "Contact", "signed_in", "review"]
SETUP_REQUESTS = {"login page", "sign in"}
# (name, milliseconds, failed, finished at) of every request after sign-in, for bench_load.
steady_requests: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def remember(name, response_time, exception, **kwargs):
    if name not in SETUP_REQUESTS:
        steady_requests.append((name, response_time, exception is not None, time.monotonic()))


@events.quitting.add_listener
def write_out(environment, **kwargs):
    with open(os.environ["BENCH_LOAD_OUTPUT"], "w") as out:
        json.dump(steady_requests, out)


class Person(HttpUser):
    abstract = True
    # A person acts at most a few times a second: a debounced keystroke (300 ms) or a click.
    wait_time = between(0.3, 1.0)
    username = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        self.csrf = self.client.cookies.get("csrftoken")


class Operator(Person):
    weight = 3
    username = "bench-operator"
    form = json.dumps(whole_form(20))

    @task(3)
    def browse_groups(self):
        self.client.get(f"/stores/{STORE_ID}/", name="trait group list")
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
    username = "bench-auditor"

    @task
    def search_audit_log(self):
        self.client.get("/audit/", params={"q": random.choice(SEARCHES)}, name="audit search")
