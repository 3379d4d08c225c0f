"""`MemoryApiClient`: the Memory API's endpoints as typed Python calls, and its factory.

One client per process (`memory_api_client()`), built from settings on first use, so
every request shares one connection pool and one rate-limit gate. With
`MEMORY_API_URL=emulator` the same client talks to the embedded emulator in process.
"""

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from django.core.signals import setting_changed
from django.dispatch import receiver

from memadmin.memory_api import contract
from memadmin.memory_api.errors import MemoryApiError, precondition_failed
from memadmin.memory_api.mapping_types import DataMapping
from memadmin.memory_api.profile_types import ProfileIdPage, ProfileTraits
from memadmin.memory_api.responses import (
    ListingBounds,
    accepted_from,
    etag,
    iter_pages,
    parsing,
)
from memadmin.memory_api.retry import retry_after_seconds
from memadmin.memory_api.session import ApiSession
from memadmin.memory_api.status_urls import checked_status_url, operation_id_from_url
from memadmin.memory_api.types import (
    Accepted,
    IdentityResolutionSettings,
    OperationStatus,
    Store,
    TraitGroup,
    UnexpectedShape,
    list_items,
)

# Trait pages of one group can straddle a concurrent update; read it again this often.
TRAIT_GROUP_READS = 3


class MemoryApiClient:
    """Typed calls to Twilio's Memory API; safe to share between threads."""

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        transport: httpx.BaseTransport | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_attempts: int = 4,
        max_retry_seconds: float = 30.0,
        max_pages: int = 100,
        max_list_items: int = 1000,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._bounds = ListingBounds(max_pages=max_pages, max_items=max_list_items)
        self._session = ApiSession(
            base_url=base_url,
            username=username,
            password=password,
            transport=transport,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_attempts=max_attempts,
            max_retry_seconds=max_retry_seconds,
            sleep=sleep,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"MemoryApiClient({self.base_url!r})"

    @property
    def base_url(self) -> str:
        return str(self._session.base_url).rstrip("/")

    def close(self) -> None:
        self._session.close()

    # Stores

    def list_stores(self) -> list[Store]:
        """Every store of the account (at most 15), each fetched for its details."""
        params = {"pageSize": contract.MAX_PAGE_SIZE}
        store_ids: list[str] = []
        for response, page in self._iter_pages(
            contract.STORES_PATH, params, "the account's stores", items_key="stores"
        ):
            with parsing(self._session, response):
                ids = list_items(page, "stores")
                if not all(isinstance(store_id, str) for store_id in ids):
                    raise UnexpectedShape("stores holds something other than store ids")
            store_ids.extend(ids)
        return [self.fetch_store(store_id) for store_id in store_ids]

    def fetch_store(self, store_id: str) -> Store:
        subject = f"store {store_id}"
        response = self._session.send(
            "GET", self._path(contract.store_path, store_id), subject=subject
        )
        with parsing(self._session, response):
            return Store.from_json(self._session.read_json(response), etag=etag(response))

    def fetch_identity_resolution_settings(self, store_id: str) -> IdentityResolutionSettings:
        path = self._path(contract.identity_resolution_settings_path, store_id)
        response = self._session.send("GET", path, subject=f"store {store_id}")
        with parsing(self._session, response):
            payload = self._session.read_json(response)
            return IdentityResolutionSettings.from_json(payload, etag=etag(response))

    # Trait groups

    def iter_trait_groups(
        self, store_id: str, *, include_traits: bool = False, page_size: int = 50
    ) -> Iterator[TraitGroup]:
        """The store's trait groups, page after page as the caller consumes them."""
        if not 1 <= page_size <= contract.MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {contract.MAX_PAGE_SIZE}; got {page_size}.")
        path = self._path(contract.trait_groups_path, store_id)
        params = {"includeTraits": _boolean(include_traits), "pageSize": page_size}
        pages = self._iter_pages(path, params, f"store {store_id}", items_key="traitGroups")
        return (group for response, page in pages for group in self._groups_on(response, page))

    def _groups_on(self, response: httpx.Response, page: dict[str, Any]) -> list[TraitGroup]:
        with parsing(self._session, response):
            return [TraitGroup.from_json(item) for item in list_items(page, "traitGroups")]

    def fetch_trait_group(self, store_id: str, name: str) -> TraitGroup:
        """One trait group with all its traits (merged across pages) and its ETag."""
        path = self._path(contract.trait_group_path, store_id, name)
        subject = f"trait group {name!r} in store {store_id}"
        params = {"includeTraits": "true", "pageSize": contract.MAX_PAGE_SIZE}
        for _ in range(TRAIT_GROUP_READS):
            first: TraitGroup | None = None
            traits: dict[str, dict] = {}
            for response, page in self._iter_pages(
                path, params, subject, items_key="traitGroup.traits"
            ):
                with parsing(self._session, response):
                    group = TraitGroup.from_json(page.get("traitGroup"), etag=etag(response))
                first = first or group
                if group.version != first.version:
                    break  # updated between pages: the merge would mix two versions
                traits.update(group.traits)
            else:
                return dataclasses.replace(first, traits=traits)
        raise MemoryApiError(
            message=f"{subject} kept changing while it was read",
            user_message=f"The {subject} kept changing while memadmin read it: try again.",
            retryable=True,
        )

    def create_trait_group(self, store_id: str, body: dict[str, Any]) -> Accepted:
        name = body.get("displayName", "?")
        response = self._session.send(
            "POST",
            self._path(contract.trait_groups_path, store_id),
            json=body,
            subject=f"store {store_id}",
            action=f"create trait group {name!r} in store {store_id}",
        )
        return accepted_from(self._session, response, action=f"create trait group {name!r}")

    def update_trait_group(
        self, store_id: str, name: str, body: dict[str, Any], *, if_match: str | None = None
    ) -> Accepted:
        response = self._session.send(
            "PATCH",
            self._path(contract.trait_group_path, store_id, name),
            json=body,
            headers=_if_match(if_match),
            subject=f"trait group {name!r} in store {store_id}",
            action=f"update trait group {name!r} in store {store_id}",
        )
        return accepted_from(self._session, response, action=f"update trait group {name!r}")

    def delete_trait_group(
        self, store_id: str, name: str, *, if_match: str | None = None
    ) -> Accepted:
        """DELETE the group. The spec gives DELETE no precondition, so `if_match` (the ETag
        the reviewers saw) is checked here: the group is fetched right before the DELETE
        and a different ETag is refused as Twilio refuses a stale PATCH, with a 412. A
        change landing between that fetch and the DELETE cannot be excluded."""
        subject = f"trait group {name!r} in store {store_id}"
        if if_match:
            self._check_etag_unchanged(store_id, name, expected=if_match, subject=subject)
        response = self._session.send(
            "DELETE",
            self._path(contract.trait_group_path, store_id, name),
            subject=subject,
            action=f"delete trait group {name!r} in store {store_id}",
        )
        return accepted_from(self._session, response, action=f"delete trait group {name!r}")

    def _check_etag_unchanged(self, store_id: str, name: str, *, expected: str, subject: str):
        path = self._path(contract.trait_group_path, store_id, name)
        response = self._session.send(
            "GET", path, params={"includeTraits": "false"}, subject=subject
        )
        current = etag(response)
        if current is not None and _same_etag(current, expected):
            return
        raise self._session.redactor.scrub_error(
            precondition_failed(subject=subject, expected=expected, current=current)
        )

    # Data mappings

    def list_data_mappings(self, store_id: str) -> list[DataMapping]:
        """Every data mapping of a store, all pages read (within the listing bounds)."""
        path = self._path(contract.data_mappings_path, store_id)
        params = {"pageSize": contract.MAX_DATA_MAPPINGS_PER_PAGE}
        mappings: list[DataMapping] = []
        for response, page in self._iter_pages(
            path, params, f"data mappings of store {store_id}", items_key="dataMappings"
        ):
            with parsing(self._session, response):
                items = list_items(page, "dataMappings")
                mappings.extend(DataMapping.from_json(item) for item in items)
        return mappings

    def fetch_data_mapping(self, store_id: str, mapping_id: str) -> DataMapping:
        """One data mapping, with its ETag."""
        path = self._path(contract.data_mapping_path, store_id, mapping_id)
        response = self._session.send(
            "GET", path, subject=f"data mapping {mapping_id} in store {store_id}"
        )
        with parsing(self._session, response):
            payload = self._session.read_json(response)
            return DataMapping.from_json(payload, etag=etag(response))

    # Profiles (their values are customer data: read them to count, never to show)

    def list_profile_ids(
        self, store_id: str, *, page_size: int = 100, page_token: str | None = None
    ) -> ProfileIdPage:
        """One page of the store's profile ids, newest first; pass `next_token` back."""
        if not 1 <= page_size <= contract.MAX_PROFILE_PAGE_SIZE:
            raise ValueError(
                f"page_size must be 1 to {contract.MAX_PROFILE_PAGE_SIZE}; got {page_size}."
            )
        params: dict[str, Any] = {"pageSize": page_size}
        if page_token:
            params["pageToken"] = page_token
        path = self._path(contract.profiles_path, store_id)
        response = self._session.send(
            "GET", path, params=params, subject=f"the profiles of store {store_id}"
        )
        with parsing(self._session, response):
            return ProfileIdPage.from_json(self._session.read_json(response))

    def fetch_profile_traits(
        self, store_id: str, profile_id: str, trait_groups: list[str] | None = None
    ) -> ProfileTraits:
        """Every value one profile holds (in `trait_groups` only, if given), all pages."""
        path = self._path(contract.profile_traits_path, store_id, profile_id)
        params: dict[str, Any] = {"pageSize": contract.MAX_PAGE_SIZE}
        if trait_groups:
            params["traitGroups"] = ",".join(trait_groups)
        values: dict[str, dict[str, Any]] = {}
        subject = f"profile {profile_id} in store {store_id}"
        for response, page in self._iter_pages(path, params, subject, items_key="traits"):
            with parsing(self._session, response):
                for group, name, value in ProfileTraits.values_on(page):
                    values.setdefault(group, {})[name] = value
        return ProfileTraits(profile_id=profile_id, values=values)

    # Operations

    def operation_url(self, operation_id: str) -> str:
        """The status URL of an operation on the configured host."""
        return self.base_url + self._path(contract.operation_path, operation_id)

    def fetch_operation(self, status_url: str) -> OperationStatus:
        """The operation's status; the URL is checked before any credentials go out."""
        try:
            target = checked_status_url(status_url, base_url=self._session.base_url)
        except MemoryApiError as error:
            raise self._session.redactor.scrub_error(error) from None
        subject = f"operation {operation_id_from_url(str(target))}"
        response = self._session.send("GET", target, subject=subject)
        retry_after = retry_after_seconds(response.headers.get(contract.HEADER_RETRY_AFTER))
        with parsing(self._session, response):
            payload = self._session.read_json(response)
            return OperationStatus.from_json(payload, retry_after=retry_after)

    def _iter_pages(self, path: str, params: dict[str, Any], subject: str, *, items_key: str):
        return iter_pages(
            self._session,
            path,
            params,
            subject=subject,
            items_key=items_key,
            bounds=self._bounds,
        )

    def _path(self, build: Callable[..., str], *names: str) -> str:
        try:
            return build(*names)
        except ValueError as exc:
            raise MemoryApiError(message=str(exc), user_message=str(exc)) from None


def _if_match(tag: str | None) -> dict[str, str] | None:
    return {contract.HEADER_IF_MATCH: tag} if tag else None


def _same_etag(current: str, expected: str) -> bool:
    """ETags compared as If-Match would (weak or strong alike, quotes optional)."""

    def bare(tag: str) -> str:
        return tag.strip().removeprefix("W/").strip('"')

    return bare(current) == bare(expected)


def _boolean(value: bool) -> str:
    return "true" if value else "false"


_client: MemoryApiClient | None = None
_client_lock = threading.Lock()


def memory_api_client() -> MemoryApiClient:
    """The process-wide client, built from settings on first use."""
    global _client
    client = _client
    if client is None:
        with _client_lock:
            if _client is None:
                _client = _client_from_settings()
            client = _client
    return client


def reset_memory_api_client() -> None:
    """Forget the process-wide client (tests, changed settings); the next call builds anew."""
    global _client
    with _client_lock:
        client, _client = _client, None
    if client is not None:
        client.close()


def _client_from_settings() -> MemoryApiClient:
    from django.conf import settings

    base_url, transport = settings.MEMORY_API_URL, None
    if base_url == contract.EMULATOR_SETTING:
        # Only here does memory_api know the emulator exists; nothing leaves the process.
        from memadmin.emulator.embedded import get_embedded_emulator

        base_url = contract.EMULATOR_BASE_URL
        transport = httpx.WSGITransport(app=get_embedded_emulator())
    return MemoryApiClient(
        base_url=base_url,
        username=settings.MEMORY_API_USERNAME,
        password=settings.MEMORY_API_PASSWORD,
        transport=transport,
        connect_timeout=settings.MEMORY_API_CONNECT_TIMEOUT,
        read_timeout=settings.MEMORY_API_READ_TIMEOUT,
        max_attempts=settings.MEMORY_API_MAX_ATTEMPTS,
        max_retry_seconds=settings.MEMORY_API_MAX_RETRY_SECONDS,
        max_pages=settings.MEMORY_API_MAX_PAGES,
        max_list_items=settings.MEMORY_API_MAX_LIST_ITEMS,
    )


@receiver(setting_changed)
def _forget_client_when_settings_change(*, setting: str, **kwargs: Any) -> None:
    """override_settings(MEMORY_API_…) in a test takes effect on the next call."""
    if setting.startswith(("MEMORY_API_", "EMULATOR_")):
        reset_memory_api_client()
