"""A process keeps the values it derived from content lately, and no more than it may."""

from memadmin.content_memo import RecentByContent


def test_it_keeps_the_latest_values_and_drops_the_oldest_beyond_its_size():
    recent = RecentByContent(size=2)
    recent.put("a", 1)
    recent.put("b", 2)
    recent.put("a", 10)  # kept again: still two
    assert (recent.get("a"), recent.get("b")) == (10, 2)

    recent.put("c", 3)

    assert recent.get("a") is None  # the oldest went
    assert (recent.get("b"), recent.get("c")) == (2, 3)
