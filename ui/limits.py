"""Request body limits on every route of the server: uploads get the upload limit, everything else a small one,
checked on Content-Length before a byte is read and counted while the body streams in (chunked bodies too)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from starlette.formparsers import MultiPartException

from ui.api_deps import error_body

# Routes that take files: the REST upload and Gradio's own (the web chat's upload box posts there first).
UPLOAD_PATHS = ("/v1/ingest", "/gradio_api/upload")
# After a 413 the rest of the body is read and dropped up to these bounds (then the connection is closed).
DRAIN_BYTES = 64 * 2**20
DRAIN_SECONDS = 10.0


@dataclass(frozen=True)
class BodyLimits:
    body_bytes: int  # every other route: JSON API calls, the web chat's messages, the login form
    upload_bytes: int

    @classmethod
    def from_settings(cls, settings: Any, max_upload_mb: float) -> BodyLimits:
        """The upload limit is never below one file of the per-file limit plus room for the form around it."""
        upload_mb = max(settings.max_upload_body_mb, max_upload_mb + 1)
        return cls(int(settings.max_body_mb * 2**20), int(upload_mb * 2**20))

    def for_path(self, path: str) -> tuple[int, str]:
        if path.rstrip("/").endswith(UPLOAD_PATHS):
            return self.upload_bytes, "DOCQA_MAX_UPLOAD_BODY_MB"
        return self.body_bytes, "DOCQA_MAX_BODY_MB"


class BodyTooLarge(MultiPartException):
    """Raised into the app when the body passes the limit. A MultiPartException, because the form parsers of
    Starlette and Gradio delete the files they were spooling when they see one; a refused upload leaves nothing."""


class BodyLimit:
    """Plain ASGI middleware: 413 with a JSON error, sent once; whatever the app answers after that is dropped."""

    def __init__(self, app: Any, limits: BodyLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self.limits.for_path(scope["path"])
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit, setting)  # before reading a byte of it
            await _drain(receive, 0)
            await _end(send)
            return
        state = {"received": 0, "started": False, "refused": False}

        async def counted_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    if not state["started"]:
                        state["refused"] = True
                        await _refuse(send, limit, setting)
                    raise BodyTooLarge(f"request body over {limit} bytes")
            return message

        async def guarded_send(message) -> None:
            if state["refused"]:
                return  # the app's own error about the cut-off body: the client already has its 413
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not state["refused"]:
                raise
            await _drain(receive, state["received"])
            await _end(send)


async def _drain(receive, received: int) -> None:
    """Read and drop what the client is still sending, within bounds, between the 413 and its end (the server
    stops reading once a response is complete): a client that writes its whole body before reading the answer
    (most do) then reads the 413 instead of a reset connection."""
    deadline = asyncio.get_running_loop().time() + DRAIN_SECONDS
    while received < DRAIN_BYTES:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            return
        try:
            message = await asyncio.wait_for(receive(), left)
        except asyncio.TimeoutError:
            return
        if message["type"] != "http.request":
            return
        received += len(message.get("body", b""))
        if not message.get("more_body"):
            return


async def _refuse(send, limit: int, setting: str) -> None:
    mb = limit / 2**20
    body = json.dumps(error_body(f"request body too large: the limit on this route is {mb:g} MB ({setting})",
                                 code="request_too_large")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body, "more_body": True})  # _end() completes it


async def _end(send) -> None:
    await send({"type": "http.response.body", "body": b"", "more_body": False})
