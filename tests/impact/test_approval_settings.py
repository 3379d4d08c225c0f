"""The approvals-per-tier settings: read from the environment, refused when they make no sense."""

import pytest

from memadmin.config import ConfigError, approvals_by_tier


def test_the_defaults_ask_two_approvals_for_high_risk_only():
    assert approvals_by_tier(low=1, medium=1, high=2) == {"LOW": 1, "MEDIUM": 1, "HIGH": 2}


def test_a_riskier_tier_may_not_need_fewer_approvals():
    with pytest.raises(ConfigError, match="must not decrease"):
        approvals_by_tier(low=2, medium=1, high=2)


def test_the_replaced_single_setting_is_refused_not_ignored(monkeypatch):
    monkeypatch.setenv("REVIEW_REQUIRED_APPROVALS", "2")
    with pytest.raises(ConfigError, match="REVIEW_APPROVALS_HIGH"):
        approvals_by_tier(low=1, medium=1, high=2)
