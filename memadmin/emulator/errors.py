"""Errors the emulator answers with, shaped as the spec's TwilioError body."""

from typing import Any

from memadmin.emulator.contract import ERROR_CODES, MORE_INFO_URL


class ApiError(Exception):
    """An HTTP error response; raised anywhere below the router, rendered once by it."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code if code is not None else ERROR_CODES.get(status, status)
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The TwilioError body: `code`, `message`, `more_info`, `status`, nothing else."""
        return twilio_error_body(status=self.status, code=self.code, message=self.message)


def twilio_error_body(*, status: int, code: int, message: str) -> dict[str, Any]:
    """Build a TwilioError; the message is capped at the schema's 1024 characters."""
    return {
        "code": code,
        "message": message[:1024],
        "more_info": MORE_INFO_URL.format(code=code),
        "status": status,
    }


def invalid(field: str, reason: str) -> ApiError:
    """A 400 whose message names the offending field, e.g. `traits.email.dataType`."""
    return ApiError(400, f"Invalid value for {field}: {reason}")


def not_found(message: str) -> ApiError:
    """A 404 with Twilio's generic not-found code 20404."""
    return ApiError(404, message)
