"""Reports: SARIF, the HTML report (also in a real headless browser), colour,
``-o FILE``, and the reason-code catalogue every renderer shares."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL, run_on_terminal
from detector.reason_codes import REASON_CODES

HOSTILE = (
    "The council met on Monday <script>document.title = 'pwned'</script> and voted "
    "<img src=x onerror=\"document.title = 'pwned'\"> to repair the bridge before winter.\n\n"
    "Residents said <b>the plan</b> was late & expensive, but they welcomed it anyway.\n"
)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _no_traceback(proc):
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def seeds_json(run_cli, default_model_file):
    proc = run_cli("flag", "--format", "json", SEED_MANGLED_REL, SEED_CLEAN_REL)
    return {f["path"]: f for f in json.loads(proc.stdout)["files"]}


def test_sarif_lists_flagged_paragraphs(run_cli, seeds_json):
    proc = run_cli("flag", "--format", "sarif", SEED_MANGLED_REL, SEED_CLEAN_REL)
    _no_traceback(proc)
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules and all(r in REASON_CODES for r in rules)
    flagged = {(path, p["line"], p["end_line"]) for path, f in seeds_json.items()
               for p in f["paragraphs"] if p["flagged"]}
    results = run["results"]
    assert len(results) == len(flagged) == 25
    for result in results:
        assert result["level"] == "warning"
        assert rules[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert (location["artifactLocation"]["uri"], region["startLine"],
                region["endLine"]) in flagged
        assert location["artifactLocation"]["uri"] == SEED_MANGLED_REL
        assert result["message"]["text"].startswith(f"{result['properties']['score']:.2f} mangled")


def test_reason_codes_are_all_documented(run_cli, default_model_file):
    codes = set()
    for args in (("flag", "--format", "json", SEED_MANGLED_REL, SEED_CLEAN_REL),
                 ("flag", "--format", "json", "--reference", SEED_CLEAN_REL, SEED_MANGLED_REL,
                  SEED_CLEAN_REL)):
        for record in json.loads(run_cli(*args).stdout)["files"]:
            codes |= {r["code"] for r in record["reasons"]}
            codes |= {r["code"] for p in record["paragraphs"] for r in p["reasons"]}
    undocumented = sorted(codes - set(REASON_CODES))
    assert not undocumented
    assert {"ref.source", "ref.copy", "ref.spun_copy", "ctx.document"} <= codes


def test_html_escapes_the_text():
    from detector.score.document import score_document
    from detector.report.html import render_html

    class Out:
        parts: list[str] = []

        def write(self, text: str) -> None:
            self.parts.append(text)

    out = Out()
    render_html([("doc.txt", HOSTILE, score_document(HOSTILE))], out)  # type: ignore[arg-type]
    page = "".join(out.parts)
    assert "&lt;script&gt;document.title = &#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "&lt;b&gt;the plan&lt;/b&gt;" in page and "late &amp; expensive" in page

    from html.parser import HTMLParser

    class Tags(HTMLParser):
        found: list[tuple[str, list]] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            self.found.append((tag, attrs))

    parser = Tags()
    parser.feed(page)
    tags = {tag for tag, _ in parser.found}
    assert not tags & {"script", "img", "iframe", "link", "object", "embed"}
    attributes = {name for _, attrs in parser.found for name, _ in attrs}
    assert not attributes & {"src", "href", "onerror", "onload"}, "the page must load nothing"


@pytest.fixture(scope="module")
def html_report(run_cli, tmp_path_factory, default_model_file):
    tmp = tmp_path_factory.mktemp("report")
    hostile = tmp / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    report = tmp / "report.html"
    proc = run_cli("flag", "--format", "html", "-o", str(report), SEED_MANGLED_REL,
                   SEED_CLEAN_REL, str(hostile))
    _no_traceback(proc)
    assert proc.returncode == 1 and proc.stdout == ""
    return report


def _chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "the HTML report is tested in Debian's chromium: apt-get install -y chromium"
    return found


def test_html_report_in_a_real_browser(html_report, tmp_path, repo_root):
    chromium = _chromium()
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr", "--v=0"]
    url = html_report.as_uri()
    dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr
    assert "CONSOLE" not in dom.stderr, dom.stderr  # no script error or blocked load
    page = dom.stdout
    assert "<title>detector report</title>" in page  # nothing in the documents ran
    sections = page.split('<section class="doc">')[1:]
    assert len(sections) == 3
    by_path = {re.search(r"<h2>(.*?)</h2>", s).group(1): s for s in sections}
    mangled, clean = by_path[SEED_MANGLED_REL], by_path[SEED_CLEAN_REL]
    assert mangled.count('class="para flagged"') == 25
    assert clean.count('class="para flagged"') == 0 and clean.count('class="para"') == 35
    assert "<mark title=" in mangled  # reason spans underlined, reasons on hover
    hostile = next(s for p, s in by_path.items() if p.endswith("hostile.txt"))
    assert "<img" not in hostile and "<script" not in hostile and "&lt;script&gt;" in hostile
    screenshot = repo_root / "build" / "report-screenshot.png"
    screenshot.parent.mkdir(exist_ok=True)
    shot = subprocess.run([*base, f"--screenshot={screenshot}", "--window-size=1280,2400",
                           url], capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0, shot.stderr
    assert screenshot.stat().st_size > 10_000


def test_output_file_and_bad_output(run_cli, tmp_path, default_model_file):
    target = tmp_path / "out.json"
    proc = run_cli("flag", "--format", "json", "-o", str(target), SEED_CLEAN_REL)
    _no_traceback(proc)
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["files"][0]["path"] == SEED_CLEAN_REL
    proc = run_cli("flag", "-o", str(tmp_path), SEED_CLEAN_REL)
    _no_traceback(proc)
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_colour_only_on_a_terminal(run_cli, default_model_file):
    piped = run_cli("flag", SEED_MANGLED_REL)
    assert "\x1b[" not in piped.stdout
    forced = run_cli("flag", "--color", "always", SEED_MANGLED_REL)
    assert "\x1b[31mmangled\x1b[0m" in forced.stdout

    plain_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31mmangled" in run_on_terminal("flag", SEED_MANGLED_REL, env=plain_env)
    assert "\x1b[" not in run_on_terminal("flag", SEED_MANGLED_REL,
                                          env={**plain_env, "NO_COLOR": "1"})
