"""Remembers the request being answered, so that every audit event it causes says where from.

Services deep below the views (approvals, publishes, saves, comments) record events
without being handed the request; `audit.services.record` asks `current_request()`.
"""

from contextvars import ContextVar

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread or task is answering, if any."""
    return _current.get()


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        request_id = getattr(request, "audit_request_id", "")
        if request_id:
            response.headers.setdefault("X-Request-ID", request_id)
        return response
