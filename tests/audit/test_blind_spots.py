"""Regressions for the audit blind spots found in review (issue 15, item 7)."""

import pytest
from django.db import connection

from memadmin.audit import selectors
from memadmin.audit.models import AuditEvent
from memadmin.audit.triggers import suspended_triggers


def _behind_the_triggers_back(sql: str, params: list) -> None:
    with suspended_triggers(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_negative_zero_in_a_rule_hashes_the_same_after_a_trip_through_the_database(append):
    rule = {"ruleType": "NUMBER", "min": -0.0, "max": 10.5}
    event = append(after={"traits": {"score": {"dataType": "NUMBER", "validationRule": rule}}})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after["traits"]["score"]["validationRule"]["min"] == 0.0
    assert selectors.verify_chain() == []


def test_verification_reports_every_break_not_only_the_first(append):
    events = [append(f"traitgroup.step{n}") for n in range(6)]
    for tampered in (events[1], events[4]):
        _behind_the_triggers_back(
            "UPDATE audit_auditevent SET detail = 'rewritten' WHERE id = %s", [tampered.pk]
        )
    assert [problem.event_id for problem in selectors.verify_chain()] == [
        events[1].pk,
        events[4].pk,
    ]


@pytest.mark.parametrize("name", ["apiKey", "sessionIdPreference", "tokenBalance"])
def test_traits_with_secret_sounding_names_keep_their_definitions(append, name):
    definition = {"dataType": "STRING", "description": "Shown to auditors"}
    event = append(
        before={"displayName": "Prefs", "traits": {}},
        after={"displayName": "Prefs", "traits": {name: definition}},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after["traits"][name] == definition
    assert f"traits.{name}.description" in stored.diff_summary


def test_a_secret_value_under_a_trait_name_mapping_is_still_redacted(append):
    event = append(after={"traits": {"apiKey": "sk-live-123"}, "apiKey": {"value": "x"}})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == {"traits": {"apiKey": "[redacted]"}, "apiKey": "[redacted]"}
