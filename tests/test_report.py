"""Reports: SARIF, the HTML report (also in a real headless browser), colour,
``-o FILE``, and the reason-code catalogue every renderer shares."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import (
    CHROMIUM_FLAGS,
    SEED_CLEAN_REL,
    SEED_MANGLED_REL,
    chromium_binary,
    run_main,
    run_on_terminal,
)
from detector.reason_codes import REASON_CODES

HOSTILE = (
    "The council met on Monday <script>document.title = 'pwned'</script> and voted "
    "<img src=x onerror=\"document.title = 'pwned'\"> to repair the bridge before winter.\n\n"
    "Residents said <b>the plan</b> was late & expensive, but they welcomed it anyway.\n"
)


def _no_traceback(proc):
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def seeds_json(default_model_file):
    proc = run_main("flag", "--format", "json", SEED_MANGLED_REL, SEED_CLEAN_REL, text=True)
    return {f["path"]: f for f in json.loads(proc.stdout)["files"]}


def test_sarif_lists_flagged_paragraphs(seeds_json):
    proc = run_main("flag", "--format", "sarif", SEED_MANGLED_REL, SEED_CLEAN_REL, text=True)
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


def _constructed_reason_codes(package: Path) -> dict[str, list[str]]:
    """Every reason code a ``Reason(...)`` call in ``package`` can construct,
    with where: a string literal, or a name unpacked from a lookup in a
    module-level dict literal (``code, template = _TABLE[kind]``). A call whose
    code is anything else is reported as unresolved, so a new way of building
    reasons fails here until the scan understands it."""
    found: dict[str, list[str]] = {}
    unresolved = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(package.parent)
        tables = {t.id: node.value for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                  for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                  if isinstance(t, ast.Name) and isinstance(node.value, ast.Dict)}
        names = {"Reason"} | {a.asname for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                              for a in node.names if a.name == "Reason" and a.asname}
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in names):
                continue
            code = call.args[0] if call.args else next(
                (k.value for k in call.keywords if k.arg == "code"), None)
            if isinstance(code, ast.Starred):
                code = None
            codes = _resolve_code(code, call, functions, tables)
            if codes is None:
                unresolved.append(f"{where}:{call.lineno}")
            for value in codes or ():
                found.setdefault(value, []).append(f"{where}:{call.lineno}")
    assert not unresolved, f"Reason(...) with a code the scan cannot resolve: {unresolved}"
    return found


def _resolve_code(code, call, functions, tables) -> list[str] | None:
    if isinstance(code, ast.Constant) and isinstance(code.value, str):
        return [code.value]
    if not isinstance(code, ast.Name):
        return None
    scope = [f for f in functions if f.lineno <= call.lineno <= f.end_lineno]
    for function in scope[-1:]:
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target, value = node.targets[0], node.value
            if not (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name)
                    and value.value.id in tables):
                continue
            entries = tables[value.value.id].values
            if isinstance(target, ast.Name) and target.id == code.id:
                picked = entries
            elif isinstance(target, ast.Tuple) and any(
                    isinstance(e, ast.Name) and e.id == code.id for e in target.elts):
                position = next(k for k, e in enumerate(target.elts)
                                if isinstance(e, ast.Name) and e.id == code.id)
                picked = [e.elts[position] if isinstance(e, ast.Tuple) else None for e in entries]
            else:
                continue
            if not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in picked):
                return None
            return [e.value for e in picked]
    return None


def test_reason_codes_constructed_are_the_registered_ones(repo_root):
    """Static scan of detector/: every code a Reason(...) is built with is in
    the registry (detector/reason_codes.py), and every registered code is built
    somewhere, so neither side can drift without a run that happens to emit it."""
    constructed = _constructed_reason_codes(repo_root / "detector")
    unregistered = {code: where for code, where in constructed.items() if code not in REASON_CODES}
    assert not unregistered, f"reason codes missing from detector/reason_codes.py: {unregistered}"
    never_built = sorted(set(REASON_CODES) - set(constructed))
    assert not never_built, f"registered reason codes no Reason(...) constructs: {never_built}"


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
    assert not attributes & {"src", "onerror", "onload"}, "the page must load nothing"
    # links only within the page: the summary to each document and back
    links = [value for _, attrs in parser.found for name, value in attrs if name == "href"]
    ids = {value for _, attrs in parser.found for name, value in attrs if name == "id"}
    assert links and all(link.startswith("#") and link[1:] in ids for link in links), links


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


def test_html_report_in_a_real_browser(html_report, tmp_path):
    chromium = chromium_binary()
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr", "--v=0"]
    url = html_report.as_uri()
    dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr
    assert "CONSOLE" not in dom.stderr, dom.stderr  # no script error or blocked load
    page = dom.stdout
    assert "<title>detector report</title>" in page  # nothing in the documents ran
    sections = re.findall(r'<section class="doc" id="(doc-\d+)" data-threshold="([\d.]+)">'
                          r"<h2>(.*?)</h2>(.*?)</section>", page, re.S)
    assert len(sections) == 3
    by_path = {path: body for _, _, path, body in sections}
    ids = {path: anchor for anchor, _, path, _ in sections}
    thresholds = {path: float(t) for _, t, path, _ in sections}
    mangled, clean = by_path[SEED_MANGLED_REL], by_path[SEED_CLEAN_REL]
    _assert_summary_table(page, ids)
    # only flagged paragraphs are outlined, shaded and underlined
    assert mangled.count('class="para flagged shade-') == 25
    assert "<mark title=" in mangled  # reason spans underlined, reasons on hover
    classes = re.findall(r'<div class="(para[^"]*)"', clean)
    assert classes.count("para") == 35 and set(classes) == {"para", "para skipped"}
    assert "<mark" not in clean and "shade-" not in clean and "<li>" not in clean
    assert 'data-flagged="false"' in clean and 'style=' not in clean
    _assert_graded_shading(mangled, thresholds[SEED_MANGLED_REL])
    hostile = next(s for p, s in by_path.items() if p.endswith("hostile.txt"))
    assert "<img" not in hostile and "<script" not in hostile and "&lt;script&gt;" in hostile
    screenshot = tmp_path / "report-screenshot.png"
    shot = subprocess.run([*base, f"--screenshot={screenshot}", "--window-size=1400,2400",
                           url], capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0, shot.stderr
    _assert_shows_flagged_paragraphs(screenshot, (1400, 2400))
    phone = tmp_path / "report-phone.png"
    shot = subprocess.run([*base, f"--screenshot={phone}", "--window-size=400,4000", url],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0, shot.stderr
    _assert_shows_flagged_paragraphs(phone, (400, 4000))


def _assert_summary_table(page: str, ids: dict[str, str]) -> None:
    """A row per document before the first section: a link to the document's
    section, its verdict, score and paragraphs flagged of scored."""
    summary = page[:page.index('<section class="doc"')]
    assert "Summary: 1 of 3 documents mangled" in summary
    rows = re.findall(r'<tr><td class="file"><a href="#(doc-\d+)">(.*?)</a></td>(.*?)</tr>',
                      summary, re.S)
    assert [(anchor, path) for anchor, path, _ in rows] == list(
        (anchor, path) for path, anchor in ids.items())
    cells = {path: re.findall(r"<td[^>]*>(.*?)</td>", rest) for _, path, rest in rows}
    assert re.fullmatch(r'<span class="label-mangled">mangled</span>', cells[SEED_MANGLED_REL][0])
    assert re.fullmatch(r"0\.\d\d|1\.00", cells[SEED_MANGLED_REL][1])
    assert cells[SEED_MANGLED_REL][2:4] == ["25 of 25", "4"]
    assert re.fullmatch(r'<span class="label-clean">clean</span>', cells[SEED_CLEAN_REL][0])
    assert cells[SEED_CLEAN_REL][2:4] == ["0 of 35", "3"]
    assert '<div class="legend">' in summary and "score 0." in summary  # step ranges


def _assert_graded_shading(section: str, threshold: float) -> None:
    """Each flagged paragraph's shade is the step of its score, and the
    seed's scores span more than one step."""
    from detector.report.html import STEPS, shade_step

    found = re.findall(r'class="para flagged shade-(\d)" data-score="([\d.]+)" '
                       r'data-flagged="true" data-step="(\d)"', section)
    assert len(found) == 25
    steps = {int(step) for step, _, _ in found}
    assert all(shade == step for shade, _, step in found)
    assert len(steps) >= 2 and steps <= set(range(1, STEPS + 1)), steps
    assert all(shade_step(float(score), threshold) == int(step) for _, score, step in found)


def test_html_shading_steps():
    from detector.report.html import STEPS, shade_step, step_bounds

    bounds = step_bounds(0.72)
    assert bounds[0][0] == 0.72 and bounds[-1][1] == 1.0 and len(bounds) == STEPS
    assert all(a < b for a, b in bounds)
    for k, (low, high) in enumerate(bounds, 1):
        assert shade_step((low + high) / 2, 0.72) == k
    assert shade_step(0.72, 0.72) == 1 and shade_step(1.0, 0.72) == STEPS


def test_html_all_shows_unflagged_scores_quietly(default_model_file):
    quiet = re.compile(r'data-flagged="false">.*?</div><div class="side quiet">(.*?)</div>', re.S)
    plain = run_main("flag", "--format", "html", SEED_CLEAN_REL, text=True)
    assert plain.returncode == 0
    assert set(quiet.findall(plain.stdout)) == {""}
    every = run_main("flag", "--format", "html", "--all", SEED_CLEAN_REL, text=True)
    assert every.returncode == 0
    scores = quiet.findall(every.stdout)
    assert len(scores) == 35 and all(re.fullmatch(r"0\.\d\d", s) for s in scores)
    assert "<mark" not in every.stdout[every.stdout.index("<section"):]  # nothing underlined


def _assert_shows_flagged_paragraphs(png: Path, size: tuple[int, int]) -> None:
    """The screenshot has the window's size and shows what the page is about:
    the mangled seed comes first after the summary and legend, so its flagged
    paragraphs, boxed in the report's flag colour (``.para.flagged`` border,
    #b00020), are on screen."""
    import numpy as np
    from PIL import Image  # Pillow comes with matplotlib, a test extra

    with Image.open(png) as image:
        assert image.size == size
        assert image.convert("RGB").getcolors(2) is None, "a blank screenshot"
        pixels = np.asarray(image.convert("RGB"))
    # A flagged box's side is a vertical run of the flag colour many pixels
    # long; text in that colour (the verdict label) is never that tall.
    flag = (pixels == (0xB0, 0x00, 0x20)).all(axis=2)
    side = np.lib.stride_tricks.sliding_window_view(flag, 40, axis=0).all(axis=2)
    assert side.any(), "no flagged paragraph box drawn"


def test_output_file_and_bad_output(tmp_path, default_model_file):
    target = tmp_path / "out.json"
    proc = run_main("flag", "--format", "json", "-o", str(target), SEED_CLEAN_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["files"][0]["path"] == SEED_CLEAN_REL
    proc = run_main("flag", "-o", str(tmp_path), SEED_CLEAN_REL, text=True)
    _no_traceback(proc)
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_colour_only_on_a_terminal(default_model_file):
    piped = run_main("flag", SEED_MANGLED_REL, text=True)  # standard output is a file
    assert "\x1b[" not in piped.stdout
    forced = run_main("flag", "--color", "always", SEED_MANGLED_REL, text=True)
    assert "\x1b[31mdoc.name_variant\x1b[0m" in forced.stdout  # line 1's first reason code

    plain_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31mdoc.name_variant" in run_on_terminal("flag", SEED_MANGLED_REL, env=plain_env)
    assert "\x1b[" not in run_on_terminal("flag", SEED_MANGLED_REL,
                                          env={**plain_env, "NO_COLOR": "1"})
