"""One server, one port: FastAPI with the OpenAI-compatible and REST API, /docs, and the Gradio chat mounted at /."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

from qa.settings import MAX_UPLOAD_MB  # noqa: E402
from ui.access import AccessDenied, Gate  # noqa: E402
from ui.conversations import ConversationNotFound, ConversationStore  # noqa: E402
from ui.limits import BodyLimit, BodyLimits  # noqa: E402
from ui.service import Service, UnknownCollection  # noqa: E402
from ui.webchat import UserError, WebChat  # noqa: E402

log = logging.getLogger("docqa.server")


@dataclass(frozen=True)
class ServeOptions:
    """What `docqa serve` passes: the network, the credentials and who may use which collection."""

    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[str, str] | list[tuple[str, str]] | None = None  # the web chat's login(s), also HTTP Basic on /v1
    api_keys: tuple[str, ...] = ()
    access: dict[str, frozenset[str]] | None = None
    max_upload_mb: float = MAX_UPLOAD_MB
    mcp: bool = False


def build_server(docqa: Any, options: ServeOptions = ServeOptions()):
    """The FastAPI app: /v1/* (OpenAI-compatible and REST), /healthz, /docs, and the web chat at /."""
    import gradio as gr
    from fastapi import FastAPI

    from ui import openai_api, rest_api
    from ui.app import build_app, launch_options

    chat = WebChat(docqa, max_upload_mb=options.max_upload_mb)
    gate = Gate(options.api_keys, options.auth, options.access)
    service = Service(chat, gate, ConversationStore.in_index(docqa.settings.index))
    api = FastAPI(title="docqa", summary="Answers from your documents, with citations.", version=_version(),
                  docs_url="/docs", redoc_url=None, openapi_url="/openapi.json")
    api.state.service = service
    if options.auth is not None and options.access is not None:
        chat.access = lambda user, name, create: _web_collection(service, user, name, create)
    api.add_middleware(BodyLimit, limits=BodyLimits.from_settings(docqa.settings, options.max_upload_mb))
    api.include_router(rest_api.health)
    api.include_router(openai_api.router)
    api.include_router(rest_api.router)
    _error_handlers(api)

    from ui.history import History

    blocks = build_app(docqa, max_upload_mb=options.max_upload_mb, chat=chat, history=History(service.conversations))
    blocks.queue(default_concurrency_limit=2)
    if options.mcp:
        _only_mcp_tools(blocks, MCP_TOOLS)
        _guard(api, gate, MCP_PATH)
    launch = launch_options(host=options.host, port=options.port, auth=options.auth,
                            max_upload_mb=options.max_upload_mb)
    mount = {k: launch[k] for k in ("auth", "auth_message", "ssr_mode", "max_file_size", "show_error", "theme",
                                    "css", "head")}
    return gr.mount_gradio_app(api, blocks, path="", mcp_server=options.mcp, **mount)


def _web_collection(service: Service, username: str, name: str | None, create: bool) -> str:
    """The web chat's check for a signed-in user: the same rule as the API's, phrased for the page."""
    try:
        return service.resolve(service.gate.user(username), name, create=create)
    except (UnknownCollection, AccessDenied) as exc:
        raise UserError(str(exc)) from exc


MCP_TOOLS = ("ask", "sources")  # read-only: an agent may ask and list, never ingest or remove
MCP_PATH = "/gradio_api/mcp"


def _only_mcp_tools(blocks: Any, names: tuple[str, ...]) -> None:
    """Gradio's MCP server lists every named endpoint whose function is not marked as another MCP kind."""
    for block_fn in blocks.fns.values():
        if block_fn.api_name and block_fn.fn is not None and block_fn.api_name not in names:
            # The web chat's handlers are methods, which take no attributes: mark the function behind one (a
            # handler that is no tool here is none in any app, so the mark is the same for every instance).
            getattr(block_fn.fn, "__func__", block_fn.fn)._mcp_type = "not-a-tool"


def _guard(api: Any, gate: Gate, prefix: str) -> None:
    """The same credentials as /v1/* in front of PREFIX (the MCP server, which Gradio mounts itself)."""
    api.add_middleware(_Guard, gate=gate, prefix=prefix)


class _Guard:
    """Plain ASGI, so long-lived streams pass through untouched."""

    def __init__(self, app: Any, gate: Gate, prefix: str) -> None:
        self.app, self.gate, self.prefix = app, gate, prefix

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            header = dict(scope.get("headers") or ()).get(b"authorization", b"").decode("latin-1")
            if self.gate.caller(header or None) is None:
                from starlette.responses import JSONResponse

                from ui.api_deps import error_body

                body = error_body("missing or invalid credentials: send 'Authorization: Bearer <API key>'",
                                  param="authorization", code="invalid_api_key")
                await JSONResponse(body, 401, {"WWW-Authenticate": "Bearer"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _error_handlers(api) -> None:
    """Every failure of /v1/* becomes OpenAI's error object with the right status; never a traceback."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    from ui.api_deps import ApiError, error_body

    def reply(status: int, body: dict[str, Any]) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    @api.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return reply(exc.status, exc.body())

    @api.exception_handler(RequestValidationError)
    async def bad_body(_: Request, exc: RequestValidationError):
        problems = [(".".join(str(p) for p in e.get("loc", ())[1:]) or "body", e.get("msg", "invalid")) for e in exc.errors()]
        message = "; ".join(f"{field}: {msg}" for field, msg in problems)
        return reply(400, error_body(message, param=problems[0][0] if problems else None))

    @api.exception_handler(UnknownCollection)
    async def unknown(_: Request, exc: UnknownCollection):
        return reply(404, error_body(str(exc), param="collection", code="collection_not_found"))

    @api.exception_handler(AccessDenied)
    async def denied(_: Request, exc: AccessDenied):
        return reply(403, error_body(str(exc), type_="permission_error", param="collection"))

    @api.exception_handler(ConversationNotFound)
    async def no_conversation(_: Request, exc: ConversationNotFound):
        return reply(404, error_body(str(exc), param="conversation_id", code="conversation_not_found"))

    @api.exception_handler(UserError)
    async def user_error(_: Request, exc: UserError):
        return reply(400, error_body(str(exc)))

    @api.exception_handler(ValueError)
    async def value_error(_: Request, exc: ValueError):
        return reply(400, error_body(" ".join(str(exc).split())))

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if not request.url.path.startswith("/v1/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return reply(exc.status_code, error_body(str(exc.detail), type_="invalid_request_error"))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docqa")
    except PackageNotFoundError:
        return "0"


class Running:
    """A server started in a thread (tests, benchmarks); `close()` stops it and waits."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        import uvicorn

        self.app = app
        self.url = f"http://{host}:{port}/"
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="docqa-server", daemon=True)

    def start(self, timeout: float = 60.0) -> Running:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server at {self.url} did not start")
            time.sleep(0.05)
        return self

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self.app.state.service.conversations.close()


def serve(docqa: Any, options: ServeOptions = ServeOptions(), *, block: bool = True) -> Running | None:
    """Serve until interrupted; with block=False return the running server."""
    app = build_server(docqa, options)
    running = Running(app, options.host, options.port)
    if not block:
        return running.start()
    import uvicorn

    print(f"docqa: serving http://{options.host}:{options.port}/ (API docs at /docs)", flush=True)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")
    return None
