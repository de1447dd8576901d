"""``detector serve``'s JSON API over real HTTP: the same JSON as ``detector
flag --format json``, a batch, the reason codes, the model, and every error
status with its limits (one server for the session, ``served``)."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from servers import flag_stdin
from detector._version import __version__
from detector.reason_codes import REASON_CODES, SKIP_REASONS, explain
from detector.service.config import MAX_BATCH, MAX_REQUEST_BYTES, MAX_TEXT_CHARS

# A word that appears in no log line unless a text is logged.
MARKER = "Quixotically"
JSON = {"content-type": "application/json"}


def post(served, path: str, body: object = None, *, content: bytes | None = None,
         headers: dict[str, str] | None = None) -> httpx.Response:
    """POST ``body`` as JSON (or raw ``content``) to the server."""
    if content is None:
        content = json.dumps(body).encode()
    return httpx.post(served.url + path, content=content,
                      headers=JSON if headers is None else headers, timeout=120)


def assert_error(response: httpx.Response, status: int, words: str) -> None:
    """A JSON error of ``status`` whose message says ``words``, without a traceback."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert words in body["error"], body
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_score_is_what_flag_json_prints(served, seed_mangled, seed_clean, repo_root):
    text = seed_mangled.read_text(encoding="utf-8")
    expected = flag_stdin("json", input=text, cwd=repo_root)
    response = post(served, "/v1/score", {"text": text})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == expected  # byte for byte
    record = response.json()["files"][0]
    assert record["path"] == "<request>" and record["n_flagged"] == 25
    # line endings as flag reads a file: CRLF is LF
    again = post(served, "/v1/score", {"text": text.replace("\n", "\r\n")})
    assert again.text == expected
    clean = seed_clean.read_text(encoding="utf-8")
    # a threshold between the clean seed's paragraph scores: some flagged, not all
    scores = sorted(p["score"] for p in post(served, "/v1/score", {"text": clean})
                    .json()["files"][0]["paragraphs"] if p["score"] is not None)
    middle = round(scores[len(scores) // 2], 4)
    low = post(served, "/v1/score", {"text": clean, "threshold": middle})
    assert low.text == flag_stdin("json", "--threshold", str(middle), input=clean, cwd=repo_root)
    assert 0 < low.json()["files"][0]["n_flagged"] < 35


def test_score_with_a_reference_is_flag_reference(served, seed_mangled, seed_clean, tmp_path):
    original = seed_clean.read_text(encoding="utf-8")
    (tmp_path / "<reference>").write_text(original, encoding="utf-8")
    text = seed_mangled.read_text(encoding="utf-8")
    response = post(served, "/v1/score", {"text": text, "reference": original})
    assert response.status_code == 200
    assert response.text == flag_stdin("json", "--reference", "<reference>", input=text,
                                      cwd=tmp_path)
    record = response.json()["files"][0]
    assert record["source"] == "<reference>"
    assert any(r["code"] == "ref.spun_copy" for r in record["reasons"]), record["reasons"]


def test_batch_is_flag_on_json_lines(served, seed_mangled, seed_clean, repo_root):
    texts = [seed_mangled.read_text(encoding="utf-8"), seed_clean.read_text(encoding="utf-8"),
             "A short note, with one sentence in it, about the weather on Monday."]
    documents = [{"text": texts[0], "id": "a"}, {"text": texts[1]}, {"text": texts[2], "id": 7}]
    response = post(served, "/v1/score/batch", {"documents": documents})
    assert response.status_code == 200
    lines = "".join(json.dumps(d) + "\n" for d in documents)
    expected = flag_stdin("json", "--input-format", "jsonl", input=lines, cwd=repo_root)
    assert response.json() == json.loads(expected)
    assert [(r["id"], r["n_flagged"]) for r in response.json()["files"]][:2] == [("a", 25),
                                                                                  ("2", 0)]
    single = post(served, "/v1/score", {"text": texts[0]}).json()["files"][0]
    assert response.json()["files"][0] == {**single, "id": "a"}
    assert post(served, "/v1/score/batch", {"documents": []}).json() == {"files": []}


def test_batch_limits_and_shape(served):
    too_many = {"documents": [{"text": "x"}] * (MAX_BATCH + 1)}
    assert_error(post(served, "/v1/score/batch", too_many), 413, f"at most {MAX_BATCH}")
    assert post(served, "/v1/score/batch", {"documents": [{"text": "x"}] * MAX_BATCH}
                ).status_code == 200
    assert_error(post(served, "/v1/score/batch", {"documents": {"text": "x"}}), 400,
                 "must be an array")
    assert_error(post(served, "/v1/score/batch", {"documents": ["x"]}), 400,
                 "documents[0] must be an object")
    assert_error(post(served, "/v1/score/batch", {"documents": [{"text": "x"}, {"id": "b"}]}),
                 422, "documents[1] has no 'text'")
    assert_error(post(served, "/v1/score/batch", {"documents": [{"text": "x", "id": True}]}),
                 400, "documents[0].id must be a string or an integer")
    assert_error(post(served, "/v1/score/batch", {"texts": ["x"]}), 400, "unknown field")
    assert_error(post(served, "/v1/score/batch", {}), 422, "no 'documents'")
    long = {"documents": [{"text": "x"}, {"text": "y" * (MAX_TEXT_CHARS + 1)}]}
    assert_error(post(served, "/v1/score/batch", long), 413, "documents[1].text is longer")


@pytest.mark.parametrize("body, status, words", [
    (b'{"text": ', 400, "not valid JSON"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b"", 400, "not valid JSON"),
    (b'{"text": "caf\xe9"}', 400, "not UTF-8"),
    (b'{"text": 5}', 400, "text must be a string, not a number"),
    (b'{"text": null}', 400, "text must be a string, not null"),
    (b'{"text": "\\ud800 alone"}', 400, "lone surrogate"),
    (b'{"text": "x", "threshold": "0.5"}', 400, "threshold must be a number"),
    (b'{"text": "x", "threshold": true}', 400, "threshold must be a number"),
    (b'{"text": "x", "reference": ["a"]}', 400, "reference must be a string"),
    (b'{"text": "x", "treshold": 0.5}', 400, "unknown field(s) 'treshold'"),
    (b"{}", 422, "no 'text'"),
    (b'{"reference": "An original text."}', 422, "no 'text'"),
    (b'{"text": "x", "threshold": 1.5}', 422, "between 0 and 1"),
    (b'{"text": "x", "threshold": NaN}', 422, "between 0 and 1"),
    (b'{"text": "a\\u0000b"}', 422, "NUL"),
    (b'{"text": "x", "reference": "https://example.com/page"}', 422, "no prose paragraph"),
])
def test_bad_requests(served, body, status, words):
    assert_error(post(served, "/v1/score", content=body), status, words)


def test_content_type(served):
    body = json.dumps({"text": "A text."}).encode()
    for headers in ({}, {"content-type": "text/plain"}, {"content-type": "multipart/form-data"},
                    {"content-type": "application/x-www-form-urlencoded"}):
        assert_error(post(served, "/v1/score", content=body, headers=headers), 415,
                     "application/json")
    charset = post(served, "/v1/score", content=body,
                   headers={"content-type": "application/json; charset=utf-8"})
    assert charset.status_code == 200


def test_size_limits(served):
    at_limit = post(served, "/v1/score", {"text": "word " * (MAX_TEXT_CHARS // 5)})
    assert at_limit.status_code == 200
    assert_error(post(served, "/v1/score", {"text": "w" * (MAX_TEXT_CHARS + 1)}), 413,
                 f"longer than {MAX_TEXT_CHARS} characters")
    assert_error(post(served, "/v1/score", {"text": "x", "reference": "r" * (MAX_TEXT_CHARS + 1)}),
                 413, "reference is longer")
    # a body over the limit, declared (Content-Length) and not (chunked)
    big = b'{"text": "' + b"a" * MAX_REQUEST_BYTES + b'"}'
    assert_error(post(served, "/v1/score", content=big), 413, f"larger than {MAX_REQUEST_BYTES}")

    def chunks():
        for _ in range(MAX_REQUEST_BYTES // 65536 + 2):
            yield b" " * 65536

    streamed = httpx.post(served.url + "/v1/score", content=chunks(), headers=JSON, timeout=120)
    assert_error(streamed, 413, "larger than")


def test_not_found_and_wrong_method(served):
    assert_error(httpx.get(served.url + "/v2/check"), 404, "Not Found")
    assert_error(httpx.get(served.url + "/v1/score"), 405, "Method Not Allowed")
    assert_error(httpx.post(served.url + "/healthz"), 405, "Method Not Allowed")


def test_reasons_model_and_health(served, run_cli):
    health = httpx.get(served.url + "/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    reasons = httpx.get(served.url + "/v1/reasons").json()
    assert [r["code"] for r in reasons["reasons"]] == list(REASON_CODES)
    assert all(r["description"] == REASON_CODES[r["code"]]
               and r["explanation"] == explain(r["code"])
               for r in reasons["reasons"])
    assert {r["code"]: r["description"] for r in reasons["skip_reasons"]} == SKIP_REASONS
    model = httpx.get(served.url + "/v1/model").json()
    info = run_cli("model", "info", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert model["metadata"] == json.loads(info.stdout)
    assert model["detector_version"] == __version__ and model["file"] == "default.skops"
    assert model["references"] == 0


def test_requests_are_served_while_one_is_scored(served, seed_clean):
    # Scoring runs off the event loop: a long text being scored does not hold
    # up a health check, and concurrent requests all get their own answer.
    long_text = (seed_clean.read_text(encoding="utf-8") + "\n\n") * 25
    assert len(long_text) < MAX_TEXT_CHARS
    finished: dict[str, float] = {}

    def score_long() -> None:  # five long texts: seconds of scoring
        response = post(served, "/v1/score/batch", {"documents": [{"text": long_text}] * 5})
        assert response.status_code == 200
        finished["long"] = time.monotonic()

    worker = threading.Thread(target=score_long)
    worker.start()
    time.sleep(0.3)
    health = httpx.get(served.url + "/healthz", timeout=60)
    finished["health"] = time.monotonic()
    worker.join(timeout=300)
    assert health.status_code == 200
    assert finished["health"] < finished["long"], finished

    texts = [f"Paragraph {n}: the council met on Monday and voted to repair the bridge." for n
             in range(8)]
    results: dict[int, dict] = {}

    def one(n: int) -> None:
        results[n] = post(served, "/v1/score", {"text": texts[n]}).json()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(results) == list(range(8))
    assert all(results[n]["files"][0]["paragraphs"][0]["end"] == len(texts[n]) for n in range(8))


def test_request_log_has_no_text(served):
    text = f"The {MARKER} council met on Monday and voted to repair the old bridge."
    assert post(served, "/v1/score", {"text": text}).status_code == 200
    assert post(served, "/v1/score", {"text": 5, "note": MARKER}).status_code == 400
    httpx.get(served.url + f"/healthz?q={MARKER}")
    log = served.stderr()
    assert '"POST /v1/score" 200' in log and '"POST /v1/score" 400' in log
    assert '"GET /healthz" 200' in log
    assert MARKER not in log
    assert "Traceback" not in log
