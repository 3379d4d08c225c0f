"""A time reads as people say it: "just now" under a minute, Django's wording after."""

from datetime import UTC, datetime, timedelta

import pytest

from memadmin.relative_time import ago

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def said(seconds_earlier: float) -> str:
    # timesince keeps a number with its unit by a no-break space; people read a space.
    return ago(NOW - timedelta(seconds=seconds_earlier), NOW).replace("\xa0", " ")


@pytest.mark.parametrize("seconds", [0, 1, 59, 59.999])
def test_anything_under_a_minute_old_is_just_now(seconds):
    assert said(seconds) == "just now"


def test_a_time_a_little_ahead_of_the_servers_clock_is_just_now_too():
    assert said(-5) == "just now"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (60, "1 minute ago"),
        (5 * 60 + 30, "5 minutes ago"),
        (2 * 3600 + 3 * 60, "2 hours, 3 minutes ago"),
        (3 * 86400 + 3600, "3 days, 1 hour ago"),
    ],
)
def test_from_a_minute_on_it_counts_as_django_does(seconds, words):
    assert said(seconds) == words


def test_without_a_now_it_counts_from_the_current_time():
    assert ago(datetime.now(UTC)) == "just now"
    assert ago(datetime.now(UTC) - timedelta(hours=1)).replace("\xa0", " ") == "1 hour ago"
