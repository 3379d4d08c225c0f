"""Hostile text on every endpoint that takes text from a person (issue 15, item 8).

Nested JSON 200,000 levels deep, lone surrogates, NUL, 5,000-digit numbers, HTML carrying
hx-* attributes and 10^5 characters, in every text field: never a 500, and never the
markup unescaped in an answer that htmx swaps into a page. On SQLite and PostgreSQL.
"""

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from memadmin.traitgroups.models import TraitGroupRevision
from tests.sample_objects import make_sample_world
from tests.url_inventory import SAMPLE_STORE_ID

MARKUP = '<b hx-get="/evil/" hx-trigger="load">pwned</b>'
NESTED = "[" * 200_000 + "]" * 200_000
HOSTILE = [
    NESTED,
    "\ud800",
    "a\udfffb",
    "nul\x00in the middle",
    "9" * 5000,
    MARKUP,
    "x" * 100_000,
    '"><img src=x onerror=alert(1)>' + MARKUP,
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=12)),
)
HOSTILE_FUZZ = hypothesis_settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT_FIELDS = [
    "displayName", "description", "traits-0-name", "traits-0-description",
    "traits-0-idTypePromotion", "traits-0-pattern", "traits-0-min", "traits-0-maxLength",
]  # fmt: skip
HX = {"HX-Request": "true"}


def raw(value):
    """What a hostile client puts on the wire: a lone surrogate as invalid UTF-8."""
    if isinstance(value, list):
        return [raw(item) for item in value]
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


def post_form(client, url, data, headers):
    """A urlencoded POST (the test client's multipart encoder is slow on 400 KB values)."""
    body = urlencode({key: raw(value) for key, value in data.items()}, doseq=True)
    content_type = "application/x-www-form-urlencoded"
    return client.post(url, body, content_type=content_type, headers=headers)


def builder_form(value: str, **extra) -> dict:
    form = {name: value for name in TEXT_FIELDS}
    form.update({"trait_keys": ["0"], "traits-0-dataType": "STRING", **extra})
    return form


def import_document(value: str) -> str:
    trait = {"dataType": "STRING", "description": value, "idTypePromotion": value}
    return json.dumps({"displayName": value, "description": value, "traits": {value: trait}})


@pytest.fixture
def world(client, make_user):
    sample = make_sample_world(make_user("Operator", username="author"))
    client.force_login(make_user("Admin", username="mallory"))
    return sample


def assert_safe(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if "html" in response.get("Content-Type", "") or "text/plain" in response.get(
        "Content-Type", ""
    ):
        text = response.content.decode("utf-8")
        assert '<b hx-get="/evil/"' not in text, f"{what} echoed live markup"
        assert "<img src=x" not in text, f"{what} echoed live markup"


def builder_requests(world, value):
    """(what, method, url, data, content type or None, headers) for each builder endpoint."""
    store = SAMPLE_STORE_ID
    form = builder_form(value)
    as_json = json.dumps(form)
    for name in ("validate", "preview", "add_trait", "rule_fields", "duplicate_trait"):
        url = reverse(f"traitgroups:{name}", args=[store]) + "?key=0"
        yield name, url, as_json, "application/json", HX
        yield name + " (form)", url, form, None, HX
    yield "new", reverse("traitgroups:new", args=[store]), {**form, "action": "save"}, None, {}
    revision = reverse("traitgroups:revision", args=[world.revision.pk])
    lock = {"lock_version": str(world.revision.lock_version), "action": "save"}
    yield "save draft", revision, {**form, **lock}, None, {}
    importing = reverse("traitgroups:import", args=[store])
    yield "import text", importing, {"import_text": value}, None, HX
    yield "import document", importing, {"import_text": import_document(value)}, None, HX
    yield "import page", importing, {"import_text": import_document(value)}, None, {}


def review_requests(world, value):
    pk = world.revision.pk
    yield "comment", reverse("reviews:comment", args=[pk]), {"body": value, "trait_name": value}
    yield "request changes", reverse("reviews:request_changes", args=[pk]), {"body": value}
    yield "approve", reverse("reviews:approve", args=[pk]), {"body": value}
    delete = reverse("reviews:request_delete", args=[SAMPLE_STORE_ID, "Contact"])
    yield "request delete", delete, {"confirm_name": value}


def searches(value):
    yield reverse("traitgroups:list", args=[SAMPLE_STORE_ID]), {"q": value}
    yield reverse("operations:index"), {"q": value, "status": value}
    yield reverse("audit:index"), {"q": value, "actor": value, "trait_group": value}


@HOSTILE_FUZZ
@given(value=hostile)
@example(value="\ud800")
@example(value="a\x00b")
def _builder_check(client, world, value):
    for what, url, data, content_type, headers in builder_requests(world, value):
        if content_type:
            response = client.post(url, data, content_type=content_type, headers=headers)
        else:
            response = post_form(client, url, data, headers)
        assert_safe(response, what)


def test_hostile_text_in_every_builder_field_never_breaks_or_leaks_markup(client, world):
    _builder_check(client, world)


def test_hostile_text_in_reviews_and_searches_never_breaks_or_leaks_markup(client, world):
    @HOSTILE_FUZZ
    @given(value=hostile)
    @example(value="\x00")
    def check(value):
        for what, url, data in review_requests(world, value):
            assert_safe(post_form(client, url, data, HX), what)
            assert_safe(post_form(client, url, data, {}), what)
        page = client.get(reverse("reviews:revision", args=[world.revision.pk]))
        assert_safe(page, "the review page showing that text")
        for url, query in searches(value):
            query_string = urlencode({key: raw(value) for key, value in query.items()})
            assert_safe(client.get(f"{url}?{query_string}", headers=HX), f"search {url}")

    check()


def test_a_json_body_nested_200000_deep_is_a_400_on_every_builder_endpoint(client, world):
    for name in ("validate", "preview", "add_trait"):
        url = reverse(f"traitgroups:{name}", args=[SAMPLE_STORE_ID])
        response = client.post(url, NESTED, content_type="application/json", headers=HX)
        assert response.status_code == 400, name


def test_a_lone_surrogate_is_shown_as_a_replacement_character(client, world):
    url = reverse("traitgroups:preview", args=[SAMPLE_STORE_ID])
    body = json.dumps(builder_form("ok", description="broken \ud800 text"))
    response = client.post(url, body, content_type="application/json", headers=HX)
    assert response.status_code == 200
    assert "broken \ufffd text" in response.content.decode()


def test_a_5000_digit_integer_in_an_import_is_refused_in_words(client, world):
    url = reverse("traitgroups:import", args=[SAMPLE_STORE_ID])
    text = '{"displayName": "g", "traits": {"n": {"dataType": "NUMBER", "validationRule": '
    text += '{"ruleType": "NUMBER", "min": ' + "9" * 5000 + "}}}}"
    response = client.post(url, {"import_text": text}, headers=HX)
    assert response.status_code == 422
    assert "a number has more than 4,300 digits" in response.content.decode()


def test_nul_in_a_draft_a_comment_or_a_search_is_a_400_in_words(client, world):
    store = SAMPLE_STORE_ID
    draft = client.post(
        reverse("traitgroups:new", args=[store]), builder_form("a\x00b", action="save")
    )
    comment = client.post(reverse("reviews:comment", args=[world.revision.pk]), {"body": "\x00"})
    search = client.get(reverse("traitgroups:list", args=[store]), {"q": "\x00"})
    for response in (draft, comment, search):
        assert response.status_code == 400
        assert "NUL" in response.content.decode()
    as_json = json.dumps(builder_form("a\x00b"))
    response = client.post(
        reverse("traitgroups:validate", args=[store]),
        as_json,
        content_type="application/json",
        headers=HX,
    )
    assert response.status_code == 400
    assert TraitGroupRevision.objects.count() == 1  # only the sample world's draft


@pytest.mark.parametrize("row_id", ["\u00b2", "\u0663", "9" * 30, "-1", " 1e3 "])
def test_a_row_id_that_is_no_row_is_refused_in_words_not_a_500(client, world, row_id):
    """Ids travel in hidden fields and button values: "²" passes str.isdigit() but not
    int(), and a 30-digit number overflows SQLite's driver."""
    store = SAMPLE_STORE_ID
    reply = client.post(
        reverse("reviews:comment", args=[world.revision.pk]),
        {"body": "Looks fine", "parent": row_id},
    )
    assert reply.status_code < 500
    importing = client.post(
        reverse("traitgroups:import", args=[store]),
        {"import_text": import_document("ok"), "revision": row_id},
    )
    assert importing.status_code < 500
    row_button = client.post(
        reverse("traitgroups:new", args=[store]), builder_form("ok", action=f"remove-{row_id}")
    )
    assert row_button.status_code < 500
    picks = client.post(reverse("reviews:publish_many"), {"revisions": [row_id]})
    assert picks.status_code < 500
