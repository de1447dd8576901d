"""Reading and checking what a client sends: the body within its size
limit, JSON or a form, and the fields of a scoring request. Every problem is
one :class:`RequestError` with the status code and a message for the client:

- 400: the body is not UTF-8 JSON (or form data), not an object, or a field
  has the wrong type or is unknown;
- 413: the body, a text or a batch is larger than its limit;
- 415: the content type is not the one the endpoint reads;
- 422: well-formed, but ``text`` is missing, the threshold is outside 0-1,
  or a text or reference cannot be used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request

from detector.errors import DecodeError
from detector.io.decode import decode_bytes
from detector.service.config import ServiceConfig

__all__ = ["BatchRequest", "RequestError", "ScoreRequest", "batch_request", "form_request",
           "read_body", "read_json", "score_request"]


class RequestError(Exception):
    """A request the service refuses: the HTTP status and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ScoreRequest:
    """One text to score, its suspected original (None: the server's
    references, if any) and a threshold (None: the model's)."""

    text: str
    reference: str | None = None
    threshold: float | None = None


@dataclass(frozen=True)
class BatchRequest:
    """Texts to score with their ids (None: the position, from 1, as a
    JSON Lines record without an id gets its line number)."""

    documents: tuple[tuple[str | None, str], ...]
    reference: str | None = None
    threshold: float | None = None


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, expected_type: str, limit: int) -> bytes:
    """The request body, if its content type is ``expected_type`` (415
    otherwise) and it is at most ``limit`` bytes (413 otherwise: refused from
    its Content-Length before reading, or as soon as it grows past it)."""
    if _content_type(request) != expected_type:
        raise RequestError(415, f"send the body as {expected_type}")
    declared = request.headers.get("content-length")
    too_large = RequestError(413, f"the request body is larger than {limit} bytes")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def read_json(body: bytes) -> dict[str, Any]:
    """The JSON object in a body (400 when it is not UTF-8 JSON or not an object)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestError(400, "the body is not UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise RequestError(400, f"the body is not valid JSON ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise RequestError(400, "the body must be a JSON object")
    return value


def _check_fields(obj: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise RequestError(400, f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                                f"the fields are {', '.join(allowed)}")


def _text(value: Any, name: str, config: ServiceConfig) -> str:
    """A text field read as ``detector flag`` reads a text file: UTF-8,
    line endings made ``\\n``, NUL refused."""
    if not isinstance(value, str):
        raise RequestError(400, f"{name} must be a string, not {_json_type(value)}")
    if len(value) > config.max_text_chars:
        raise RequestError(413, f"{name} is longer than {config.max_text_chars} characters")
    try:
        return decode_bytes(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise RequestError(400, f"{name} holds a lone surrogate, which is not text") from None
    except DecodeError as exc:
        raise RequestError(422, f"{name}: {exc}") from None


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _threshold(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(400, f"threshold must be a number, not {_json_type(value)}")
    if not 0.0 <= value <= 1.0:
        raise RequestError(422, "threshold must be between 0 and 1")
    return float(value)


def _reference(value: Any, config: ServiceConfig) -> str | None:
    return None if value is None else _text(value, "reference", config)


def score_request(obj: dict[str, Any], config: ServiceConfig) -> ScoreRequest:
    """``{"text", "reference"?, "threshold"?}`` checked."""
    _check_fields(obj, ("text", "reference", "threshold"), "the request")
    if "text" not in obj:
        raise RequestError(422, "the request has no 'text'")
    return ScoreRequest(_text(obj["text"], "text", config),
                        _reference(obj.get("reference"), config), _threshold(obj.get("threshold")))


def batch_request(obj: dict[str, Any], config: ServiceConfig) -> BatchRequest:
    """``{"documents": [{"text", "id"?}, ...], "reference"?, "threshold"?}``
    checked: at most ``config.max_batch`` documents."""
    _check_fields(obj, ("documents", "reference", "threshold"), "the request")
    if "documents" not in obj:
        raise RequestError(422, "the request has no 'documents'")
    documents = obj["documents"]
    if not isinstance(documents, list):
        raise RequestError(400, f"documents must be an array, not {_json_type(documents)}")
    if len(documents) > config.max_batch:
        raise RequestError(413, f"a batch holds at most {config.max_batch} documents, "
                                f"not {len(documents)}")
    checked = []
    for number, item in enumerate(documents, start=1):
        where = f"documents[{number - 1}]"
        if not isinstance(item, dict):
            raise RequestError(400, f"{where} must be an object, not {_json_type(item)}")
        _check_fields(item, ("text", "id"), where)
        if "text" not in item:
            raise RequestError(422, f"{where} has no 'text'")
        ident = item.get("id")
        if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
            raise RequestError(400, f"{where}.id must be a string or an integer, "
                                    f"not {_json_type(ident)}")
        checked.append((None if ident is None else str(ident),
                        _text(item["text"], f"{where}.text", config)))
    return BatchRequest(tuple(checked), _reference(obj.get("reference"), config),
                        _threshold(obj.get("threshold")))


def form_request(body: bytes, config: ServiceConfig) -> ScoreRequest:
    """The page's form (``text``, and ``original`` when filled in) as a
    score request."""
    try:
        fields = parse_qs(body.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                          errors="strict", max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        raise RequestError(400, "the form data is not valid") from None
    if "text" not in fields:
        raise RequestError(422, "the form has no text")
    original = fields.get("original", [""])[0]
    return ScoreRequest(_text(fields["text"][0], "text", config),
                        _reference(original, config) if original.strip() else None)
