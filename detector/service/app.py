"""The ``detector serve`` application: Starlette routes over the scorer.

=====================  ===================================================
``GET /``              the check-this-text page (a form, no script)
``POST /``             the form: the ``--format html`` report of its text
``POST /v1/score``     ``{"text", "reference"?, "threshold"?}``: what
                       ``detector flag --format json`` prints for the text
``POST /v1/score/batch``  ``{"documents": [{"text", "id"?}], ...}``
``GET /v1/reasons``    every reason code and skip reason, with what it means
``GET /v1/model``      the model's metadata and the detector's version
``GET /healthz``       ``{"status": "ok"}`` once the model is loaded
=====================  ===================================================

Each worker process loads the model once, at start (the lifespan), and
keeps it in ``app.state``. Scoring is CPU-bound and holds the GIL most of the
time, so each worker scores in one thread of its own, one request at a time,
off the event loop, which stays free to take other requests, answer
``/healthz`` and time out the ones that waited too long; several cores are
used by several worker processes (``--workers``). Errors are JSON
``{"error", "status"}`` (HTML on the page), never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detector._version import __version__
from detector.io.escape import json_dumps, printable
from detector.reason_codes import REASON_CODES, SKIP_REASONS, explain
from detector.service.config import ServiceConfig
from detector.service.page import SECURITY_HEADERS, error_page, form_page
from detector.service.requests import (
    RequestError,
    batch_request,
    form_request,
    read_body,
    read_json,
    score_request,
)
from detector.service.scoring import Scorer, TimeLimitExceeded

__all__ = ["LOGGER", "RequestLog", "create_app", "create_app_from_environment"]


LOGGER = "detector.service"
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


def _json(value: Any, status: int = 200) -> Response:
    return Response(json_dumps(value), status_code=status, media_type=JSON_TYPE)


def _json_error(status: int, message: str) -> Response:
    return _json({"error": message, "status": status}, status)


def _html(page: str, status: int = 200) -> Response:
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


def _html_error(status: int, message: str) -> Response:
    return _html(error_page(status, message), status)


async def _answer(request: Request, content_type: str,
                  work: Callable[[bytes, float], Callable[[], str]],
                  respond: Callable[[str], Response],
                  fail: Callable[[int, str], Response]) -> Response:
    """Read the body, check it (``work`` returns the scoring to run, or
    raises :class:`RequestError`), score in the worker's scoring thread, and
    answer; all within the time limit, counted from the request's arrival."""
    config: ServiceConfig = request.app.state.config
    deadline = time.monotonic() + config.timeout
    try:
        body = await asyncio.wait_for(read_body(request, content_type, config.max_request_bytes),
                                      config.timeout)
        scoring = work(body, deadline)
        loop = asyncio.get_running_loop()
        return respond(await loop.run_in_executor(request.app.state.pool, scoring))
    except RequestError as exc:
        return fail(exc.status, exc.message)
    except asyncio.TimeoutError:
        return fail(408, f"the request body did not arrive within {config.timeout:g} s")
    except TimeLimitExceeded:
        return fail(503, f"scoring took longer than the time limit of {config.timeout:g} s; "
                         "try again later, or send a shorter text")


async def _score_json(request: Request,
                      check: Callable[[dict[str, Any], ServiceConfig], Any]) -> Response:
    """A JSON scoring endpoint: the body checked by ``check``, then scored."""
    state = request.app.state

    def work(body: bytes, deadline: float) -> Callable[[], str]:
        checked = check(read_json(body), state.config)
        return lambda: state.scorer.score_json(checked, deadline)

    return await _answer(request, JSON_TYPE, work, _scored, _json_error)


async def score(request: Request) -> Response:
    """``POST /v1/score``: one text."""
    return await _score_json(request, score_request)


async def score_batch(request: Request) -> Response:
    """``POST /v1/score/batch``: several texts, one record each, in order."""
    return await _score_json(request, batch_request)


def _scored(text: str) -> Response:
    return Response(text, media_type=JSON_TYPE)


async def page(request: Request) -> Response:
    """``GET /``: the form."""
    return _html(form_page(request.app.state.config.max_text_chars))


async def report(request: Request) -> Response:
    """``POST /``: the form's text, as the HTML report."""
    state = request.app.state

    def work(body: bytes, deadline: float) -> Callable[[], str]:
        checked = form_request(body, state.config)
        return lambda: state.scorer.score_html(checked, deadline)

    return await _answer(request, FORM_TYPE, work, _html, _html_error)


async def reasons(request: Request) -> Response:
    """``GET /v1/reasons``: every reason code (as ``detector explain``
    describes it) and every skip reason."""
    return _json({
        "reasons": [{"code": code, "description": text, "explanation": explain(code)}
                    for code, text in REASON_CODES.items()],
        "skip_reasons": [{"code": code, "description": text}
                         for code, text in SKIP_REASONS.items()],
    })


async def model_info(request: Request) -> Response:
    """``GET /v1/model``: the detector's version, the model file's name, how
    many reference documents the server has, and the model's metadata (as
    ``detector model info --format json`` prints it)."""
    from detector.model.persistence import default_model_path

    state = request.app.state
    path = Path(state.config.model) if state.config.model else default_model_path()
    return _json({"detector_version": __version__, "file": path.name,
                  "references": len(state.scorer.index.names) if state.scorer.index else 0,
                  "metadata": state.scorer.model.metadata})


async def healthz(request: Request) -> Response:
    """``GET /healthz``: answered once the model is loaded."""
    return _json({"status": "ok"})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    return _json_error(status, str(detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server's log (uvicorn writes it), never to the client.
    return _json_error(500, "internal error")


class RequestLog:
    """ASGI middleware writing one log line per request: client, method,
    path (never the query or the body), status, bytes sent, milliseconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting what is answered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = {"status": 500, "bytes": 0}

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            client = scope.get("client") or ("-", 0)
            self.logger.info('%s "%s %s" %d %d B %.0f ms', client[0], scope["method"],
                             printable(scope["path"]), sent["status"], sent["bytes"],
                             (time.perf_counter() - started) * 1000)


def create_app(config: ServiceConfig) -> Starlette:
    """The application for ``config``; the model is loaded when it starts."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from detector.io.lifecycle import watch_parent
        from detector.score.batch import load_scorer

        if config.supervisor is not None:
            watch_parent(config.supervisor)
        model, index = load_scorer(config.model, config.references)
        scorer = Scorer(model, index)
        scorer.warm_up()
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="detector-score")
        app.state.config, app.state.scorer, app.state.pool = config, scorer, pool
        try:
            yield
        finally:
            # Requests not yet scored are dropped; the one being scored ends
            # by its deadline at the latest.
            pool.shutdown(wait=True, cancel_futures=True)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/", report, methods=["POST"]),
        Route("/v1/score", score, methods=["POST"]),
        Route("/v1/score/batch", score_batch, methods=["POST"]),
        Route("/v1/reasons", reasons, methods=["GET"]),
        Route("/v1/model", model_info, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: _http_error, Exception: _internal_error}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.add_middleware(RequestLog)
    return app


def create_app_from_environment() -> Starlette:
    """The application as ``detector serve`` configured it (the factory
    each uvicorn worker calls; see :class:`ServiceConfig`)."""
    return create_app(ServiceConfig.from_environment())
