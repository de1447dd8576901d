"""The detector never touches the network: a fresh interpreter with every
socket entry point blocked, and nltk (whose data is downloaded) unimportable,
imports it, loads the default model, scores both seeds, scores 002 against 000
in reference mode and runs the command line with and without a reference and
on an HTML page (trafilatura)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL

SCRIPT = textwrap.dedent(
    """
    import json, socket, sys

    attempts = []

    class NetworkBlocked(OSError):
        pass

    def blocked(name):
        def refuse(*args, **kwargs):
            attempts.append(name)
            raise NetworkBlocked(f"network access attempted: {name}")
        return refuse

    # nltk keeps its corpora outside any wheel (textstat 0.7.9+ reads CMUdict
    # through it, and needs a download); the detector must not need it.
    sys.modules["nltk"] = None

    socket.socket.connect = blocked("socket.connect")
    socket.socket.connect_ex = blocked("socket.connect_ex")
    socket.create_connection = blocked("socket.create_connection")
    socket.getaddrinfo = blocked("socket.getaddrinfo")

    # The guard works: deliberate attempts fail.
    guard = []
    for attempt in (
        lambda: socket.create_connection(("example.com", 80), timeout=1),
        lambda: socket.getaddrinfo("example.com", 80),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9)),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect_ex(("127.0.0.1", 9)),
    ):
        try:
            attempt()
        except NetworkBlocked:
            guard.append(True)
        else:
            guard.append(False)
    deliberate = len(attempts)

    import detector
    from detector import load_model, score_document
    from detector.cli.run import main
    from detector.io.decode import read_text

    model = load_model()
    results = {}
    for path in sys.argv[1:]:
        result = score_document(read_text(path), model=model)
        results[path] = [p.score for p in result.paragraphs]
    code = main(["flag", sys.argv[1]])
    with_reference = score_document(read_text(sys.argv[1]), reference=read_text(sys.argv[2]),
                                     model=model)
    reference_code = main(["flag", "--reference", sys.argv[2], sys.argv[1]])
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text("<html><body><article><p>" + read_text(sys.argv[2]).split("\\n")[0]
                        + "</p></article></body></html>", encoding="utf-8")
        html_code = main(["flag", str(page)])
    print("OFFLINE-REPORT " + json.dumps({
        "guard": guard,
        "later_attempts": attempts[deliberate:],
        "results": results,
        "code": code,
        "reference_source": with_reference.source,
        "reference_code": reference_code,
        "html_code": html_code,
    }))
    """
)


def test_offline(repo_root, default_model_file):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, SEED_MANGLED_REL, SEED_CLEAN_REL],
        cwd=repo_root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("OFFLINE-REPORT ")]
    assert len(lines) == 1, proc.stdout
    report = json.loads(lines[0][len("OFFLINE-REPORT "):])
    assert report["guard"] == [True, True, True, True]
    assert report["later_attempts"] == []
    assert report["code"] == 1  # seed 002 is flagged
    assert report["reference_source"] == "reference" and report["reference_code"] == 1
    # trafilatura extracted the page offline: the clean seed's first paragraph,
    # scored and not flagged (an extraction failure would exit 2)
    assert report["html_code"] == 0
    mangled = report["results"][SEED_MANGLED_REL]
    clean = report["results"][SEED_CLEAN_REL]
    assert len(mangled) == 29 and len(clean) == 38
    assert sum(s is not None for s in mangled) == 25
    assert all(s is None or 0.0 <= s <= 1.0 for s in mangled + clean)
    # the flag command printed its summary for the seed
    assert any(line.startswith(f"{SEED_MANGLED_REL}: ") for line in proc.stdout.splitlines())
