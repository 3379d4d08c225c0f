"""Each risk tier's rules, on the pure computation: a diff, who writes what, a dry run."""

from memadmin.impact.analysis import Writer, impact_of
from memadmin.impact.risk import NOT_SAMPLED, Sample, Tier, assess
from memadmin.traitgroups.diff import diff_definitions

EMAIL = {"dataType": "STRING", "idTypePromotion": "email"}
CHANNEL = {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 40}}
SCORE = {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "min": 0, "max": 100}}
BASE = {
    "displayName": "Loyalty",
    "description": "Points",
    "traits": {"email": EMAIL, "preferredChannel": CHANNEL, "score": SCORE},
}
WEB_SIGNUP = Writer("mem_datamapping_1", "Web signup", "INGRESS", "preferredChannel")


def with_traits(**traits) -> dict:
    merged = {**BASE["traits"], **traits}
    return {**BASE, "traits": {k: v for k, v in merged.items() if v is not None}}


def risk_of(target, *, writers=None, sample=NOT_SAMPLED, deleting=False, base=BASE):
    diff = diff_definitions(base, target)
    impact = impact_of(diff, group_name="Loyalty", writers=writers or {}, deleting=deleting)
    return assess(impact, sample)


def texts(risk) -> list[str]:
    return [reason.text for reason in risk.reasons]


def test_adding_a_trait_is_low_risk():
    risk = risk_of(with_traits(tier={"dataType": "STRING"}))
    assert risk.tier == Tier.LOW
    assert texts(risk) == ["adds `tier`"]


def test_loosening_a_rule_and_describing_are_low_risk():
    looser = {**CHANNEL, "validationRule": {"ruleType": "STRING", "maxLength": 80}}
    described = {**SCORE, "description": "0 to 100"}
    risk = risk_of({**with_traits(preferredChannel=looser, score=described), "description": "P"})
    assert risk.tier == Tier.LOW
    assert set(texts(risk)) == {
        "loosens the rule of `preferredChannel`",
        "describes `score`",
        "changes the group's description",
    }


def test_a_tightening_without_a_dry_run_is_high_until_sampled():
    tighter = {**SCORE, "validationRule": {"ruleType": "NUMBER", "min": 10, "max": 100}}
    risk = risk_of(with_traits(score=tighter))
    assert risk.tier == Tier.HIGH
    assert risk.unsampled == ("score",)
    assert "not yet sampled" in texts(risk)[0]


def test_a_tightening_no_sampled_value_breaks_is_medium():
    tighter = {**SCORE, "validationRule": {"ruleType": "NUMBER", "min": 10, "max": 100}}
    sample = Sample(usable=True, sampled=1000, rejected={"score": 0}, status="done")
    risk = risk_of(with_traits(score=tighter), sample=sample)
    assert risk.tier == Tier.MEDIUM
    assert risk.unsampled == ()
    assert "found no sampled value it rejects (1,000 sampled)" in texts(risk)[0]


def test_a_tightening_that_rejects_sampled_values_is_high_with_the_count():
    tighter = {**CHANNEL, "validationRule": {"ruleType": "STRING", "pattern": "^(sms|email)$"}}
    sample = Sample(usable=True, sampled=1000, rejected={"preferredChannel": 37}, status="done")
    risk = risk_of(with_traits(preferredChannel=tighter), sample=sample)
    assert risk.tier == Tier.HIGH
    assert texts(risk) == [
        "tightens the rule of `preferredChannel`: 37 of 1,000 sampled profiles hold a value "
        "the new definition rejects"
    ]


def test_a_stale_or_running_dry_run_does_not_count_as_sampled():
    tighter = {**SCORE, "validationRule": {"ruleType": "NUMBER", "min": 10, "max": 100}}
    stale = Sample(usable=False, sampled=1000, status="stale")
    risk = risk_of(with_traits(score=tighter), sample=stale)
    assert risk.tier == Tier.HIGH and risk.unsampled == ("score",)


def test_removing_a_trait_a_mapping_writes_is_high_and_names_the_mapping():
    risk = risk_of(with_traits(preferredChannel=None), writers={"preferredChannel": [WEB_SIGNUP]})
    assert risk.tier == Tier.HIGH
    assert texts(risk) == ["removes `preferredChannel`, which mapping *Web signup* writes"]


def test_removing_a_trait_nothing_writes_is_medium():
    risk = risk_of(with_traits(score=None))
    assert risk.tier == Tier.MEDIUM
    assert "no data mapping writes it" in texts(risk)[0]


def test_retyping_a_trait_a_mapping_writes_is_high():
    retyped = {"dataType": "NUMBER"}
    risk = risk_of(
        with_traits(preferredChannel=retyped), writers={"preferredChannel": [WEB_SIGNUP]}
    )
    assert risk.tier == Tier.HIGH
    assert texts(risk) == [
        "retypes `preferredChannel` (STRING → NUMBER), which mapping *Web signup* writes"
    ]


def test_retyping_a_trait_nothing_writes_is_judged_by_the_dry_run():
    retyped = {"dataType": "STRING"}
    clean = Sample(usable=True, sampled=200, rejected={}, status="done")
    assert risk_of(with_traits(score=retyped)).tier == Tier.HIGH
    assert risk_of(with_traits(score=retyped), sample=clean).tier == Tier.MEDIUM


def test_any_identifier_promotion_change_is_high():
    changed = risk_of(with_traits(email={"dataType": "STRING", "idTypePromotion": "phone"}))
    dropped = risk_of(with_traits(email={"dataType": "STRING"}))
    added = risk_of(with_traits(phone={"dataType": "STRING", "idTypePromotion": "phone"}))
    for risk in (changed, dropped, added):
        assert risk.tier == Tier.HIGH
        assert "profiles can merge or split" in texts(risk)[0]
    assert "(email → phone)" in texts(changed)[0]


def test_deleting_the_group_is_high_and_lists_what_writes_into_it():
    writers = {
        "preferredChannel": [WEB_SIGNUP],
        "score": [Writer("mem_datamapping_2", "Warehouse", "DATASET_WAREHOUSE", "score")],
    }
    risk = risk_of({"displayName": "Loyalty", "traits": {}}, writers=writers, deleting=True)
    assert risk.tier == Tier.HIGH
    assert texts(risk) == [
        "deletes the group `Loyalty` and every value profiles hold in it; "
        "mappings *Warehouse*, *Web signup* write into it"
    ]


def test_the_tier_is_the_highest_reason_and_reasons_come_highest_first():
    risk = risk_of(
        with_traits(tier={"dataType": "STRING"}, preferredChannel=None),
        writers={"preferredChannel": [WEB_SIGNUP]},
    )
    assert risk.tier == Tier.HIGH
    assert [reason.tier for reason in risk.reasons] == [Tier.HIGH, Tier.LOW]
    assert [reason.text for reason in risk.deciding] == [texts(risk)[0]]


def test_an_unchanged_definition_is_low_and_says_so():
    assert texts(risk_of(BASE)) == ["changes nothing"]
