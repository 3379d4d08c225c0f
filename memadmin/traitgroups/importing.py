"""Reading a pasted or uploaded JSON document into the builder, with precise errors.

Accepted: a TraitGroupRequest body, a TraitGroup (its `version` is dropped), or an
exported group `{"traitGroup": {...}}` as the Memory API returns it.
"""

import json

from django.conf import settings

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import hostile_text
from memadmin.traitgroups.builder.state import MAX_ROWS_ACCEPTED, draft_from_definition

TOO_LARGE = 413
# The bound for trait group files read from disk (schemafiles); the builder's import
# reads `settings.IMPORT_MAX_BYTES` at call time instead.
MAX_IMPORT_BYTES = 512 * 1024
_GROUP_KEYS = {"displayName", "description", "traits"}
_TRAIT_KEYS = {"dataType", "description", "validationRule", "idTypePromotion"}


class ImportRejected(ValueError):
    """A document that cannot become a draft; `messages` says every reason."""

    def __init__(self, messages: list[str], *, status: int = 422):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.status = status


def too_large(size: int) -> ImportRejected:
    """The refusal of a document over `IMPORT_MAX_BYTES`, said in KB."""
    limit = settings.IMPORT_MAX_BYTES
    return ImportRejected(
        [
            f"The document is {size // 1024} KB; memadmin imports at most {limit // 1024} KB "
            f"(a trait group holds at most {c.MAX_TRAITS_PER_GROUP} traits)."
        ],
        status=TOO_LARGE,
    )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def parse_import(text: str) -> dict:
    """The builder draft a JSON document describes; raises ImportRejected with reasons."""
    # Characters first: no need to encode a huge paste to know that it is too large.
    size = len(text) if len(text) > settings.IMPORT_MAX_BYTES else len(_utf8(text))
    if size > settings.IMPORT_MAX_BYTES:
        raise too_large(size)
    if not text.strip():
        raise ImportRejected(["Paste a JSON document or choose a file."])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from None
    except RecursionError:
        raise ImportRejected(["Not valid JSON: nested too deeply."]) from None
    except ValueError:  # json.loads refuses integers of more than 4,300 digits
        raise ImportRejected(["Not valid JSON: a number has more than 4,300 digits."]) from None
    try:
        document = hostile_text.clean_document(document)
    except hostile_text.NulInText as exc:
        raise ImportRejected([str(exc)]) from None
    _refuse_too_many_traits(document)
    return draft_from_document(document)


def _refuse_too_many_traits(document) -> None:
    """Refuses, before any row is built, a document with more traits than a group holds."""
    group = document.get("traitGroup", document) if isinstance(document, dict) else None
    traits = group.get("traits") if isinstance(group, dict) else None
    count = len(traits) if isinstance(traits, dict) else 0
    # A few over 95 still load, so the builder can show which to remove; thousands do not.
    if count > MAX_ROWS_ACCEPTED:
        raise ImportRejected(
            [
                f"The document has {count:,} traits; a trait group holds at most "
                f"{c.MAX_TRAITS_PER_GROUP}, and memadmin imports at most "
                f"{MAX_ROWS_ACCEPTED}. Split it into several groups."
            ],
            status=TOO_LARGE,
        )


def draft_from_document(document) -> dict:
    """The draft of an already-parsed document, after checking its shape."""
    if isinstance(document, dict) and set(document) >= {"traitGroup"}:
        document = document["traitGroup"]
    if not isinstance(document, dict):
        raise ImportRejected(["Expected a JSON object with displayName, description and traits."])
    document = {k: v for k, v in document.items() if k not in ("version", "meta")}
    problems = []
    unknown = sorted(set(document) - _GROUP_KEYS)
    if unknown:
        problems.append(f"Unknown properties at the top level: {', '.join(unknown)}.")
    for key in ("displayName", "description"):
        if key in document and not isinstance(document[key], str):
            problems.append(f"{key} must be a string.")
    traits = document.get("traits", {})
    if traits is None:
        traits = {}
    if not isinstance(traits, dict):
        problems.append("traits must be an object mapping trait names to definitions.")
        traits = {}
    for name, trait in traits.items():
        problems += _trait_problems(name, trait)
    if problems:
        raise ImportRejected(problems)
    return draft_from_definition({**document, "traits": traits})


def _trait_problems(name: str, trait) -> list[str]:
    where = f"traits.{name}"
    if not isinstance(trait, dict):
        return [f"{where} must be an object."]
    problems = []
    unknown = sorted(set(trait) - _TRAIT_KEYS)
    if unknown:
        problems.append(f"{where}: unknown properties {', '.join(unknown)}.")
    for key in ("dataType", "description", "idTypePromotion"):
        if key in trait and not isinstance(trait[key], str):
            problems.append(f"{where}.{key} must be a string.")
    rule = trait.get("validationRule")
    if rule is None:
        return problems
    if not isinstance(rule, dict):
        return [*problems, f"{where}.validationRule must be an object."]
    rule_type = rule.get("ruleType")
    if rule_type not in c.RULE_FIELDS:
        problems.append(
            f"{where}.validationRule.ruleType must be one of {', '.join(c.DATA_TYPES)}."
        )
        return problems
    if rule_type != trait.get("dataType"):
        problems.append(
            f"{where}.validationRule.ruleType {rule_type} does not match dataType "
            f"{trait.get('dataType')}."
        )
    allowed = {"ruleType", *c.RULE_FIELDS[rule_type]}
    unknown = sorted(set(rule) - allowed)
    if unknown:
        problems.append(
            f"{where}.validationRule: {', '.join(unknown)} not allowed for {rule_type}."
        )
    if "pattern" in rule and not isinstance(rule["pattern"], str):
        problems.append(f"{where}.validationRule.pattern must be a string.")
    for key in set(rule) & (c.INTEGER_RULE_FIELDS | c.NUMBER_RULE_FIELDS):
        value = rule[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{where}.validationRule.{key} must be a number.")
    return problems
