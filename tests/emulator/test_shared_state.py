"""With a state file, emulators in separate processes see one consistent state."""

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from memadmin.emulator import Emulator
from tests.fakes import EMULATOR_URL, REPO_ROOT, FakeClock

AUTH = ("u", "p")


def client_for(clocked_emulator: Emulator) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=clocked_emulator), base_url=EMULATOR_URL, auth=AUTH
    )


def shared(path: Path, clock: FakeClock, step_seconds: float = 1.0) -> Emulator:
    return Emulator(
        username="u", password="p", state_path=str(path), clock=clock, step_seconds=step_seconds
    )


def test_a_change_accepted_by_one_process_is_applied_for_another(tmp_path: Path, clock: FakeClock):
    web, worker = (
        shared(tmp_path / "state.sqlite3", clock),
        shared(tmp_path / "state.sqlite3", clock),
    )
    groups = f"/v1/ControlPlane/Stores/{web.store_ids[0]}/TraitGroups"
    with client_for(web) as web_api, client_for(worker) as worker_api:
        accepted = web_api.post(groups, json={"displayName": "Loyalty"})
        assert worker_api.get(accepted.json()["statusUrl"]).json()["status"] == "PENDING"
        clock.advance(2.0)
        assert worker_api.get(f"{groups}/Loyalty").status_code == 200
        assert web_api.get(accepted.json()["statusUrl"]).json()["status"] == "COMPLETED"


def test_state_survives_a_restart_and_reset_reseeds_it(tmp_path: Path, clock: FakeClock):
    path = tmp_path / "nested" / "state.json"
    first = shared(path, clock, step_seconds=0)
    groups = f"/v1/ControlPlane/Stores/{first.store_ids[0]}/TraitGroups"
    with client_for(first) as api:
        api.post(groups, json={"displayName": "Kept"})
    with client_for(shared(path, clock)) as api:
        assert api.get(f"{groups}/Kept").status_code == 200
        first.reset()
        assert api.get(f"{groups}/Kept").status_code == 404


def test_a_refused_request_rolls_nothing_back_that_settled(tmp_path: Path, clock: FakeClock):
    emulator = shared(tmp_path / "s.sqlite3", clock, step_seconds=0)
    groups = f"/v1/ControlPlane/Stores/{emulator.store_ids[0]}/TraitGroups"
    with client_for(emulator) as api:
        api.post(groups, json={"displayName": "Settled"})
        assert api.post(groups, json={"displayName": "bad name"}).status_code == 400
        assert api.get(f"{groups}/Settled").status_code == 200


def test_concurrent_threads_on_separate_emulators_lose_no_update(tmp_path: Path, clock: FakeClock):
    path = tmp_path / "state.sqlite3"
    emulators = [shared(path, clock, step_seconds=0) for _ in range(4)]
    groups = f"/v1/ControlPlane/Stores/{emulators[0].store_ids[0]}/TraitGroups"

    def create_many(clocked_emulator: Emulator, prefix: str) -> None:
        with client_for(clocked_emulator) as api:
            for index in range(12):  # 4 x 12 and Contact: within the 50 a store holds
                assert api.post(groups, json={"displayName": f"{prefix}{index}"}).status_code == 202

    threads = [
        threading.Thread(target=create_many, args=(emulator, f"T{n}_"))
        for n, emulator in enumerate(emulators)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with client_for(emulators[0]) as api:
        names = _all_names(api, groups)
    assert len(names) == 4 * 12 + 1


def _all_names(api: httpx.Client, groups: str) -> list[str]:
    names, params = [], {"pageSize": "50"}
    while True:
        page = api.get(groups, params=params).json()
        names += [group["displayName"] for group in page["traitGroups"]]
        if "nextToken" not in page["meta"]:
            return names
        params["pageToken"] = page["meta"]["nextToken"]


CHILD = """
import sys, httpx
from memadmin.emulator import Emulator
path, prefix = sys.argv[1], sys.argv[2]
emulator = Emulator(username="u", password="p", state_path=path, step_seconds=0)
groups = f"/v1/ControlPlane/Stores/{emulator.store_ids[0]}/TraitGroups"
transport = httpx.WSGITransport(app=emulator)
with httpx.Client(transport=transport, base_url="http://e.test", auth=("u", "p")) as api:
    for index in range(10):
        assert api.post(groups, json={"displayName": f"{prefix}{index}"}).status_code == 202
"""


def test_concurrent_processes_sharing_a_state_file_lose_no_update(tmp_path: Path):
    path = str(tmp_path / "state.sqlite3")
    Emulator(username="u", password="p", state_path=path)  # create the file once
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, path, f"P{n}_"], cwd=REPO_ROOT)
        for n in range(3)
    ]
    assert [child.wait(timeout=30) for child in children] == [0, 0, 0]
    emulator = Emulator(username="u", password="p", state_path=path, step_seconds=0)
    with client_for(emulator) as api:
        names = _all_names(api, f"/v1/ControlPlane/Stores/{emulator.store_ids[0]}/TraitGroups")
    assert len(names) == 3 * 10 + 1


def test_a_state_file_from_an_older_emulator_still_settles_its_operations(
    tmp_path: Path, clock: FakeClock
):
    # Older emulators kept no list of unsettled operations in the document.
    path = tmp_path / "state.sqlite3"
    emulator = shared(path, clock)
    groups = f"/v1/ControlPlane/Stores/{emulator.store_ids[0]}/TraitGroups"
    with client_for(emulator) as api:
        accepted = api.post(groups, json={"displayName": "Loyalty"})
    with sqlite3.connect(path) as connection:
        (text,) = connection.execute("SELECT document FROM emulator_state").fetchone()
        document = json.loads(text)
        del document["unsettled"]
        connection.execute("UPDATE emulator_state SET document = ?", (json.dumps(document),))

    clock.advance(2.0)
    with client_for(shared(path, clock)) as api:
        assert api.get(accepted.json()["statusUrl"]).json()["status"] == "COMPLETED"
        assert api.get(f"{groups}/Loyalty").status_code == 200


def test_reads_reuse_a_parsed_state_only_while_nobody_has_changed_it(
    tmp_path: Path, clock: FakeClock
):
    path = tmp_path / "state.sqlite3"
    reader, writer = shared(path, clock, step_seconds=0), shared(path, clock, step_seconds=0)
    groups = f"/v1/ControlPlane/Stores/{reader.store_ids[0]}/TraitGroups"

    def description(api: httpx.Client) -> str:
        return api.get(f"{groups}/Loyalty").json()["traitGroup"]["description"]

    with client_for(reader) as reader_api, client_for(writer) as writer_api:
        writer_api.post(groups, json={"displayName": "Loyalty", "description": "first"})
        assert description(writer_api) == "first"  # applied by the writer: the reader only reads
        assert description(reader_api) == "first"
        reader_api.get(groups, params={"pageSize": "1"})

        writer_api.patch(f"{groups}/Loyalty", json={"description": "second"})
        assert description(writer_api) == "second"

        assert description(reader_api) == "second"
        # Answering a read changed nothing it was given: a fresh emulator on the same file
        # answers the same.
        with client_for(shared(path, clock, step_seconds=0)) as fresh_api:
            for params in ({"pageSize": "1"}, {}):
                assert reader_api.get(groups, params=params).json() == (
                    fresh_api.get(groups, params=params).json()
                )
