"""Import refuses oversized documents early, by size and by trait count (issue 15, item 6)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HX = {"HX-Request": "true"}


def many_traits(count: int) -> str:
    traits = {f"t{index}": {"dataType": "BOOLEAN"} for index in range(count)}
    return json.dumps({"displayName": "big", "traits": traits})


def test_twelve_thousand_traits_are_refused_with_a_short_answer(operator_client, store_id):
    url = reverse("traitgroups:import", args=[store_id])
    for headers in (HX, {}):
        response = operator_client.post(url, {"import_text": many_traits(12_000)}, headers=headers)
        html = response.content.decode()
        assert response.status_code == 413
        assert "memadmin imports at most 256 KB" in html
        assert html.count('class="trait-row"') <= 1


def test_more_traits_than_a_group_holds_are_refused_by_count(operator_client, store_id):
    url = reverse("traitgroups:import", args=[store_id])
    for headers in (HX, {}):
        response = operator_client.post(url, {"import_text": many_traits(2_000)}, headers=headers)
        html = response.content.decode()
        assert response.status_code == 413
        assert "The document has 2,000 traits; a trait group holds at most 95" in html
        # The refusal echoes the pasted text but never renders thousands of rows.
        assert html.count('class="trait-row"') <= 1


def test_a_document_over_the_byte_limit_is_refused_before_parsing(
    operator_client, store_id, settings
):
    settings.IMPORT_MAX_BYTES = 4096
    url = reverse("traitgroups:import", args=[store_id])
    text = json.dumps({"displayName": "g", "description": "x" * 5000})
    response = operator_client.post(url, {"import_text": text}, headers=HX)
    assert response.status_code == 413
    assert "memadmin imports at most 4 KB" in response.content.decode()
    upload = SimpleUploadedFile("g.json", text.encode(), content_type="application/json")
    response = operator_client.post(url, {"import_file": upload})
    assert response.status_code == 413
    assert "memadmin imports at most 4 KB" in response.content.decode()


def test_a_full_group_of_95_traits_still_imports(operator_client, store_id):
    url = reverse("traitgroups:import", args=[store_id])
    response = operator_client.post(url, {"import_text": many_traits(95)}, headers=HX)
    assert response.status_code == 200
    assert "95 of 95 traits" in response.content.decode()
