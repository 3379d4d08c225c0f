"""`Emulator`: the WSGI application, its routing, authentication and fault handling.

What it enforces is Twilio's OpenAPI spec plus Twilio's "Conversation Memory limits"
page; where both are silent it is no stricter than the spec, except as listed here.

Limits and rules from the limits page and the error dictionary (not in the spec):
- at most 50 trait groups per store: a POST beyond that is a 400 "Trait group limit
  reached" (creates still in flight count), and an operation that would pass it FAILS;
- trait names of at most 64 characters (the limits page; the spec's 128 is looser);
- trait names are stored normalised to lowerCamelCase (`FirstName` → `firstName`,
  `postal_code` → `postalCode`), as Twilio's docs say; two names of one request that
  normalise alike are a 400;
- the out-of-the-box group `Contact` is protected ("protected trait or trait group:
  cannot be edited or deleted"). Our reading: deleting it is a 400, and so is removing
  or retyping one of its built-in traits; adding traits to it, and changing a built-in
  trait's description or rule while keeping its data type, stay allowed;
- an `idTypePromotion` must name an identifier type of the store's Identity Resolution
  Settings (a 400 listing the configured ones).

Data mappings follow `mapping_endpoints` and `mapping_validation` (their docstrings list
where the spec is silent and the emulator lets a request through).

Preconditions: `If-Match` is honoured on PATCH only (a 412 on mismatch); on DELETE it is
ignored, because the spec gives DELETE no such parameter. A DELETE of a group with an
operation still in flight is a 409, which the spec lists for DELETE.

Deliberately stricter than the spec (each a 400): a trait name that normalises to
nothing (no letter or digit). Deliberately different: a 401 (the spec documents no
401 on control-plane endpoints) and a 412 on PATCH (the spec documents `If-Match` but
not its 412 answer); both are Twilio's documented behaviour elsewhere.

Control endpoints (same Basic auth, never subject to injected faults):

- `GET /_emulator/faults` — the pending faults.
- `POST /_emulator/faults` — JSON, any of
  `{"failNext": {"count": 3, "status": 429, "retryAfter": 2},` (status 409, 412, 429,
  500 or 503; `"retryAfter": null` sends none, even on a 429)
  `"slowNext": {"count": 1, "seconds": 0.5},`
  `"failNextOperation": {"detail": "…", "count": 1},`
  `"retryAfterNext": {"count": 2, "seconds": 0},` (the next 202s and operation polls
  carry this `Retry-After`: 0, 100000000, or null for none)
  `"endlessPaging": true,` (every listing names a next page, forever, until cleared)
  `"clear": true}`.
- `DELETE /_emulator/faults` — clear them.
- `POST /_emulator/reset` — back to the seed state, faults cleared.
"""

import base64
import binascii
import hmac
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from memadmin.emulator import contract as c
from memadmin.emulator import endpoints, lifecycle, mapping_endpoints, profiles
from memadmin.emulator.errors import ApiError
from memadmin.emulator.faults import FaultInjector
from memadmin.emulator.mapping_validation import validate_data_mapping_id
from memadmin.emulator.seed import seed_document, store_id_for
from memadmin.emulator.state import open_state_store
from memadmin.emulator.validation import (
    parse_json_body,
    validate_store_id,
    validate_trait_group_name_in_path,
)
from memadmin.emulator.wire import Request, Response

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Handler = Callable[..., Response]
MAX_STORES = 15  # "at most 15 stores per account"
MAX_BODY_BYTES = 1024 * 1024

_STORE = r"/v1/ControlPlane/Stores/(?P<store_id>[^/]+)"
_PROFILES = r"/v1/Stores/(?P<store_id>[^/]+)/Profiles"
ROUTES: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
    (re.compile(r"/v1/ControlPlane/Stores"), {"GET": endpoints.list_stores}),
    (re.compile(_STORE), {"GET": endpoints.fetch_store}),
    (
        re.compile(_STORE + r"/IdentityResolutionSettings"),
        {"GET": endpoints.fetch_identity_resolution},
    ),
    (
        re.compile(_STORE + r"/TraitGroups"),
        {"GET": endpoints.list_trait_groups, "POST": endpoints.create_trait_group},
    ),
    (
        re.compile(_STORE + r"/TraitGroups/(?P<name>[^/]+)"),
        {
            "GET": endpoints.fetch_trait_group,
            "PATCH": endpoints.patch_trait_group,
            "DELETE": endpoints.delete_trait_group,
        },
    ),
    (
        re.compile(_STORE + r"/DataMappings"),
        {
            "GET": mapping_endpoints.list_data_mappings,
            "POST": mapping_endpoints.create_data_mapping,
        },
    ),
    (
        re.compile(_STORE + r"/DataMappings/(?P<mapping_id>[^/]+)"),
        {
            "GET": mapping_endpoints.fetch_data_mapping,
            "PATCH": mapping_endpoints.patch_data_mapping,
            "DELETE": mapping_endpoints.delete_data_mapping,
        },
    ),
    (
        re.compile(r"/v1/ControlPlane/Operations/(?P<operation_id>[^/]+)"),
        {"GET": endpoints.fetch_operation},
    ),
    (
        re.compile(_PROFILES),
        {"GET": profiles.list_profiles, "POST": profiles.create_profile},
    ),
    (
        re.compile(_PROFILES + r"/(?P<profile_id>[^/]+)/Traits"),
        {"GET": profiles.list_profile_traits},
    ),
]


class Emulator:
    """A WSGI callable emulating the trait-group and data-mapping subset of Twilio's Memory API.

    `step_seconds` is how long an operation stays PENDING and then RUNNING (0: it is
    applied on the next request); `clock` is injectable so tests can move time.
    """

    def __init__(
        self,
        *,
        username: str,
        password: str,
        state_path: str | None = None,
        step_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
        store_count: int = 2,
        max_groups_per_store: int = c.MAX_TRAIT_GROUPS_PER_STORE,
    ) -> None:
        if not 1 <= store_count <= MAX_STORES:
            raise ValueError(f"store_count must be 1 to {MAX_STORES}")
        if step_seconds < 0:
            raise ValueError("step_seconds must not be negative")
        self._credentials = (username.encode(), password.encode())
        self.step_seconds = step_seconds
        self.clock = clock
        self.store_count = store_count
        # Twilio's limit by default; benchmarks raise it to load one store with hundreds.
        self.max_groups_per_store = max_groups_per_store
        self.store_ids = [store_id_for(index) for index in range(store_count)]
        self.faults = FaultInjector()
        self._state = open_state_store(state_path, self._seed)

    def _seed(self) -> dict[str, Any]:
        return seed_document(self.store_count)

    def reset(self) -> None:
        """Back to the seed state, with no pending faults."""
        self._state.replace(self._seed())
        self.faults.clear()

    def set_profile_population(self, store_id: str, count: int) -> None:
        """For tests and benchmarks: the store's seeded population is `count` profiles."""
        with self._state.transaction() as document:
            profiles.set_population(document, store_id, count)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = self.handle(_request_from(environ))
        payload = response.encoded()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        headers += list(response.headers.items())
        start_response(f"{response.status} {_REASONS.get(response.status, 'Unknown')}", headers)
        return [payload]

    def handle(self, request: Request) -> Response:
        """Answer one request; every error becomes a TwilioError body."""
        try:
            if not self._authenticated(request.headers.get("authorization", "")):
                raise ApiError(
                    401,
                    "Failed to complete request due to lack of authentication credentials",
                    headers={"WWW-Authenticate": 'Basic realm="Twilio API"'},
                )
            if len(request.body) > MAX_BODY_BYTES:
                raise ApiError(413, f"Request body exceeds {MAX_BODY_BYTES} bytes", code=400)
            if request.path.startswith("/_emulator/"):
                return self._control(request)
            if delay := self.faults.take_delay():
                time.sleep(delay)
            if failure := self.faults.take_failure():
                return _injected(failure.status, failure.retry_after)
            return self._dispatch(request)
        except ApiError as exc:
            return _error_response(exc)
        except Exception:
            logger.exception("Emulator failed on %s %s", request.method, request.path)
            return _error_response(ApiError(500, "Internal Server Error"))

    def _authenticated(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            username, sep, password = base64.b64decode(encoded.strip()).partition(b":")
        except (binascii.Error, ValueError):
            return False
        expected_user, expected_password = self._credentials
        # Compare both halves every time so timing does not reveal which one was wrong.
        user_ok = hmac.compare_digest(username, expected_user)
        password_ok = hmac.compare_digest(password, expected_password)
        return bool(sep) and user_ok and password_ok

    def _dispatch(self, request: Request) -> Response:
        handler, params = _route(request)
        if "store_id" in params:
            validate_store_id(params["store_id"])
        if "name" in params:
            validate_trait_group_name_in_path(params["name"])
        if "mapping_id" in params:
            validate_data_mapping_id(params["mapping_id"])
        now = self.clock()
        context = endpoints.Context(
            now,
            self.step_seconds,
            self.faults.take_operation_failure,
            self.faults.take_retry_after,
            self.faults.endless_paging,
            self.max_groups_per_store,
        )
        if request.method == "GET":  # GET handlers only read; settling may still write
            with self._state.reading() as document:
                if not lifecycle.has_work(document, now):
                    return _answer(handler, context, request, document, params)
        with self._state.transaction() as document:
            lifecycle.settle(document, now)
            # answered inside so that the settling above still commits
            return _answer(handler, context, request, document, params)

    def _control(self, request: Request) -> Response:
        if request.path == "/_emulator/reset" and request.method == "POST":
            self.reset()
            return Response(200, {"message": "Emulator reset to its seed state."})
        if request.path == "/_emulator/faults":
            if request.method == "POST":
                spec = parse_json_body(request.body)
                if not isinstance(spec, dict):
                    raise ApiError(400, "Invalid value for request body: must be a JSON object")
                try:
                    self.faults.configure(spec)
                except (KeyError, TypeError, ValueError) as exc:
                    raise ApiError(400, f"Invalid fault specification: {exc!r}") from exc
            elif request.method == "DELETE":
                self.faults.clear()
            elif request.method != "GET":
                raise ApiError(405, f"Method {request.method} not allowed")
            return Response(200, self.faults.pending())
        raise ApiError(404, f"The requested resource {request.path} was not found")


def _answer(
    handler: Handler,
    context: endpoints.Context,
    request: Request,
    document: dict[str, Any],
    params: dict[str, str],
) -> Response:
    try:
        return handler(context, request, document, **params)
    except ApiError as exc:
        return _error_response(exc)


def _route(request: Request) -> tuple[Handler, dict[str, str]]:
    for pattern, methods in ROUTES:
        match = pattern.fullmatch(request.path)
        if match is None:
            continue
        if request.method not in methods:
            raise ApiError(
                405,
                f"Method {request.method} not allowed on {request.path}",
                headers={"Allow": ", ".join(methods)},
            )
        return methods[request.method], match.groupdict()
    raise ApiError(404, f"The requested resource {request.path} was not found")


def _request_from(environ: dict[str, Any]) -> Request:
    # WSGI hands over the path percent-decoded as latin-1 text; names are UTF-8.
    raw_path = environ.get("PATH_INFO", "") or "/"
    path = raw_path.encode("latin-1").decode("utf-8", errors="replace")
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    length = int(environ.get("CONTENT_LENGTH") or 0)
    # One byte more than allowed is enough to tell an oversized body from a full one.
    body = environ["wsgi.input"].read(min(length, MAX_BODY_BYTES + 1)) if length > 0 else b""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return Request(
        environ["REQUEST_METHOD"].upper(), path, query, headers, body, f"{scheme}://{host}"
    )


def _error_response(exc: ApiError) -> Response:
    return Response(exc.status, exc.body(), dict(exc.headers))


def _injected(status: int, retry_after: int | None) -> Response:
    messages = {
        409: "Conflict: the resource is being changed by another request",
        412: "Precondition failed: the resource changed since it was read",
        429: "Too many requests. Please retry according to the Retry-After response header.",
        500: "Internal Server Error",
        503: "Service Unavailable",
    }
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return _error_response(ApiError(status, messages[status], headers=headers))


_REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
