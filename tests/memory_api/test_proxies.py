"""An egress proxy named in the environment carries memadmin's requests, as for any
httpx client; `NO_PROXY` still sends a host direct."""

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from memadmin.memory_api import MemoryApiClient, MemoryApiError
from tests.fakes import API_PASSWORD, API_USERNAME, SANDBOX, store_json

API = "http://memory.example.test"


class RecordingProxy(http.server.BaseHTTPRequestHandler):
    """Answers every request itself, remembering the request line it was sent."""

    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.requestline)
        body = json.dumps(store_json()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy_url() -> Iterator[str]:
    RecordingProxy.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client() -> MemoryApiClient:
    return MemoryApiClient(
        base_url=API, username=API_USERNAME, password=API_PASSWORD, max_attempts=1
    )


def test_requests_go_through_the_proxy_in_http_proxy(proxy_url, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    api = client()
    assert api.fetch_store(SANDBOX).id == SANDBOX
    api.close()
    assert RecordingProxy.seen == [f"GET {API}/v1/ControlPlane/Stores/{SANDBOX} HTTP/1.1"]


def test_no_proxy_sends_the_api_host_direct(proxy_url, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("NO_PROXY", "memory.example.test")
    api = client()
    with pytest.raises(MemoryApiError, match="Could not reach Twilio"):
        api.fetch_store(SANDBOX)  # .test never resolves: proof it did not use the proxy
    api.close()
    assert RecordingProxy.seen == []
