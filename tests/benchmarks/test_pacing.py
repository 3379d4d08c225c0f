"""The load benchmark's people keep the arrival times they were given (issue 18).

Paced in lockstep, every simulated person clicked in the same instant and the capacity
benchmark measured how fast one burst drains, not the rate the server sustains.
"""

import pytest

from tests.benchmarks.pacing import Pacing


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def task_starts(pacing: Pacing, clock: Clock, durations: list[float]) -> list[float]:
    """When each task starts, a person running tasks of these durations one after another."""
    starts = []
    for duration in durations:
        starts.append(clock.now)
        clock.now += duration
        clock.now += pacing.wait()
    return starts


def test_people_arriving_apart_keep_their_own_phase():
    phases = set()
    for arrival in (0.0, 0.1, 0.2, 0.3, 0.4):
        clock = Clock()
        clock.now = arrival
        starts = task_starts(Pacing(0.5, clock), clock, [0.02] * 10)
        assert starts == pytest.approx([arrival + 0.5 * k for k in range(10)])
        phases.add(round(starts[-1] % 0.5, 6))
    assert len(phases) == 5


def test_an_overrun_task_is_followed_at_once_and_then_by_the_usual_interval():
    clock = Clock()
    starts = task_starts(Pacing(0.5, clock), clock, [0.02, 1.3, 0.02, 0.02])
    assert starts == pytest.approx([0.0, 0.5, 1.8, 2.3])
