"""What dry-run tests share: a live Contact group, a tightening revision, a known population."""

import dataclasses

import httpx

from memadmin.emulator.embedded import get_embedded_emulator
from memadmin.emulator.population import seeded_traits
from memadmin.emulator.seed import CONTACT_DESCRIPTION, CONTACT_TRAITS
from memadmin.memory_api import MemoryApiClient, MemoryApiError
from memadmin.memory_api.contract import EMULATOR_BASE_URL
from memadmin.memory_api.profile_types import ProfileIdPage
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import SANDBOX, FakeClock

POPULATION = 250
E164 = r"^\+[1-9]\d{1,14}$"
LOWER_EMAIL = r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"
LIVE_CONTACT = {
    "displayName": "Contact",
    "description": CONTACT_DESCRIPTION,
    "traits": {name: dict(trait) for name, trait in CONTACT_TRAITS.items()},
}


def tightened_contact() -> dict:
    """Contact with E.164 phones and lower-case e-mails required."""
    traits = {name: dict(trait) for name, trait in CONTACT_TRAITS.items()}
    traits["phone"]["validationRule"] = {"ruleType": "STRING", "pattern": E164}
    traits["email"]["validationRule"] = {"ruleType": "STRING", "pattern": LOWER_EMAIL}
    return {**LIVE_CONTACT, "traits": traits}


def live_contact_group() -> TraitGroup:
    group, _ = TraitGroup.objects.get_or_create(
        store_id=SANDBOX,
        name="Contact",
        defaults={"live_definition": LIVE_CONTACT, "live_version": 1, "live_etag": '"v1"'},
    )
    return group


def tightening_revision(author, definition: dict | None = None):
    """A revision of the sandbox's Contact that tightens phone and e-mail."""
    return drafts.create_draft(
        store_id=SANDBOX,
        definition=definition or tightened_contact(),
        author=author,
        trait_group=live_contact_group(),
    )


def known_population(count: int = POPULATION) -> None:
    get_embedded_emulator().set_profile_population(SANDBOX, count)


def expected_rejections(count: int = POPULATION) -> dict[str, int]:
    """Counted without memadmin's validator: plain string checks over the seeded values."""
    contacts = [seeded_traits(SANDBOX, index)["Contact"] for index in range(count)]
    return {
        "phone": sum(not contact["phone"].startswith("+") for contact in contacts),
        "email": sum(contact["email"] != contact["email"].lower() for contact in contacts),
    }


def seeded_contact_values(count: int = POPULATION) -> list[str]:
    """Every raw phone and e-mail the known population holds, to look for in output."""
    contacts = [seeded_traits(SANDBOX, index)["Contact"] for index in range(count)]
    return [contact[key] for contact in contacts for key in ("phone", "email")]


def emulator_client(clock: FakeClock | None = None, **options) -> MemoryApiClient:
    """memadmin's client on the embedded emulator, sleeping on `clock` (a new one if none)."""
    from django.conf import settings

    clock = clock or FakeClock()
    return MemoryApiClient(
        base_url=EMULATOR_BASE_URL,
        username=settings.MEMORY_API_USERNAME,
        password=settings.MEMORY_API_PASSWORD,
        transport=httpx.WSGITransport(app=get_embedded_emulator()),
        sleep=clock.sleep,
        clock=clock,
        **options,
    )


class FailingAfter:
    """A client that answers like `client` until its `reads`-th profile read, then fails,
    as Twilio going away mid-run would."""

    def __init__(self, client: MemoryApiClient, reads: int) -> None:
        self._client = client
        self._left = reads

    def list_profile_ids(self, *args, **kwargs):
        return self._client.list_profile_ids(*args, **kwargs)

    def fetch_profile_traits(self, *args, **kwargs):
        self._left -= 1
        if self._left < 0:
            raise MemoryApiError(message="injected", user_message="Twilio went away.")
        return self._client.fetch_profile_traits(*args, **kwargs)


class CreatingAProfileAfterTheFirstPage:
    """A client that answers like `client`, but a customer signs up right after the first
    page of ids is read (newest first, so that page is the one the new profile joins);
    it remembers every profile whose values were read."""

    def __init__(self, client: MemoryApiClient) -> None:
        self._client = client
        self._pages = 0
        self.read: list[str] = []

    def list_profile_ids(self, store_id: str, **kwargs):
        page = self._client.list_profile_ids(store_id, **kwargs)
        self._pages += 1
        if self._pages == 1:
            signup = {"traits": {"Contact": {"email": "signed-up-meanwhile@example.com"}}}
            answer = twilio().post(f"/v1/Stores/{store_id}/Profiles", json=signup)
            assert answer.status_code == 202, answer.text
        return page

    def fetch_profile_traits(self, store_id: str, profile_id: str, *args, **kwargs):
        self.read.append(profile_id)
        return self._client.fetch_profile_traits(store_id, profile_id, *args, **kwargs)


def twilio() -> httpx.Client:
    """A plain client on the embedded emulator, for changes made behind memadmin's back."""
    from django.conf import settings

    return httpx.Client(
        base_url=EMULATOR_BASE_URL,
        auth=(settings.MEMORY_API_USERNAME, settings.MEMORY_API_PASSWORD),
        transport=httpx.WSGITransport(app=get_embedded_emulator()),
    )


class CountingListings:
    """A client that answers like `client` but fails the test past `limit` listings, so a
    run that pages forever stops with a reason instead of hanging the suite."""

    def __init__(self, client: MemoryApiClient, limit: int = 20) -> None:
        self._client = client
        self._left = limit

    def list_profile_ids(self, *args, **kwargs):
        self._left -= 1
        assert self._left >= 0, "the dry run kept asking for more pages"
        return self._client.list_profile_ids(*args, **kwargs)

    def fetch_profile_traits(self, *args, **kwargs):
        return self._client.fetch_profile_traits(*args, **kwargs)


class LastPageLeadsToItself(CountingListings):
    """A server whose last page names, as the next, the token that fetched it."""

    def list_profile_ids(self, store_id: str, **kwargs):
        page = super().list_profile_ids(store_id, **kwargs)
        if page.next_token is None and kwargs.get("page_token"):
            return dataclasses.replace(page, next_token=kwargs["page_token"])
        return page


class EmptyPagesForever(CountingListings):
    """A server that, after the last profile, answers empty pages, each with a new token."""

    def list_profile_ids(self, store_id: str, **kwargs):
        token = kwargs.get("page_token") or ""
        if token.startswith("empty-"):
            number = int(token.removeprefix("empty-")) + 1
            super().list_profile_ids(store_id, page_size=kwargs["page_size"])  # counted
            return ProfileIdPage(profile_ids=(), next_token=f"empty-{number}")
        page = super().list_profile_ids(store_id, **kwargs)
        return dataclasses.replace(page, next_token=page.next_token or "empty-1")
