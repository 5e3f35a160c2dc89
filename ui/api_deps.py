"""What every /v1 handler shares: the caller from the Authorization header, the service, OpenAI-style errors."""

from __future__ import annotations

from typing import Any

from fastapi import Header, Request

from ui.access import Caller
from ui.service import Service


class ApiError(Exception):
    """An HTTP error in OpenAI's format: {"error": {"message", "type", "param", "code"}}."""

    def __init__(self, status: int, message: str, *, type_: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type_, param, code

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.type, self.param, self.code)


def error_body(message: str, type_: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def service(request: Request) -> Service:
    return request.app.state.service


def caller(request: Request, authorization: str | None = Header(None, include_in_schema=False)) -> Caller:
    """The authenticated caller; 401 when keys or a login are configured and the header does not match."""
    found = service(request).gate.caller(authorization)
    if found is None:
        raise ApiError(401, "missing or invalid credentials: send 'Authorization: Bearer <API key>'",
                       param="authorization", code="invalid_api_key")
    return found
