"""Linter conventions of the command line: -V, help with defaults and exit
codes, "did you mean", reason codes explained, --exit-zero and --quiet."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, SEED_CLEAN_REL, SEED_MANGLED_REL, run_main
from detector.reason_codes import EXPLANATIONS, REASON_CODES, SKIP_REASONS


def test_short_version_option() -> None:
    run = run_main("-V", text=True)
    assert run.returncode == 0
    assert re.fullmatch(r"detector \d+\.\d+\.\d+\S*\n", run.stdout)


@pytest.mark.parametrize("command, expected", [
    ((), "exit codes: 0 nothing flagged, 1 something flagged"),
    (("flag",), "(default: text)"),
    (("flag",), "(default: 1)"),
    (("flag",), "with --exit-zero: 0 unless an error"),
    (("train",), "(default: 0)"),
    (("evaluate",), "exit codes: 0 done"),
])
def test_help_shows_defaults_and_exit_codes(command: tuple[str, ...], expected: str) -> None:
    run = run_main(*command, "--help", text=True)
    assert run.returncode == 0
    assert expected in " ".join(run.stdout.split())
    assert "(default: None)" not in run.stdout and "(default: False)" not in run.stdout


@pytest.mark.parametrize("args, hint", [
    (("flg", SEED_CLEAN_REL), "did you mean 'flag'?"),
    (("flag", "--formt", "json", SEED_CLEAN_REL), "--formt (did you mean --format?)"),
    (("flag", "--format", "jsn", SEED_CLEAN_REL), "did you mean 'json' or 'jsonl'?"),
    (("evaluate", "--thresold", "0.5", "x.jsonl"), "did you mean --threshold?"),
])
def test_mistyped_command_option_or_choice_is_suggested(args: tuple[str, ...], hint: str) -> None:
    run = run_main(*args, text=True)
    assert run.returncode == 2
    assert hint in run.stderr
    assert run.stdout == ""


def test_unknown_option_without_a_close_match_has_no_suggestion() -> None:
    run = run_main("flag", "--zzzzzz", SEED_CLEAN_REL, text=True)
    assert run.returncode == 2
    assert "unrecognized arguments: --zzzzzz" in run.stderr
    assert "did you mean" not in run.stderr


def test_list_reasons_lists_every_code_once() -> None:
    run = run_main("--list-reasons", text=True)
    assert run.returncode == 0
    codes = [line.split()[0] for line in run.stdout.splitlines() if line and not line.endswith(":")]
    assert codes == [*REASON_CODES, *SKIP_REASONS]


def test_every_reason_code_has_an_explanation() -> None:
    assert set(EXPLANATIONS) == set(REASON_CODES)
    assert all(len(text.split()) >= 6 for text in EXPLANATIONS.values())


def test_explain_one_code() -> None:
    run = run_main("explain", "art.mangled_date", text=True)
    assert run.returncode == 0
    first, blank, *rest = run.stdout.splitlines()
    assert first == f"art.mangled_date: {REASON_CODES['art.mangled_date']}"
    assert blank == ""
    assert " ".join(rest) == EXPLANATIONS["art.mangled_date"]


def test_explain_a_family_prefix() -> None:
    run = run_main("explain", "rt", text=True)
    assert run.returncode == 0
    shown = re.findall(r"^(\S+): ", run.stdout, flags=re.M)
    assert shown == [code for code in REASON_CODES if code.startswith("rt.")]


def test_explain_unknown_code_suggests_and_exits_2() -> None:
    run = run_main("explain", "art.mangeld_date", text=True)
    assert run.returncode == 2
    assert "unknown reason code 'art.mangeld_date'; did you mean art.mangled_date?" in run.stderr
    assert run.stdout == ""


def test_exit_zero_on_flagged_input() -> None:
    flagged = run_main("flag", SEED_MANGLED_REL, text=True)
    assert flagged.returncode == 1
    run = run_main("flag", "--exit-zero", SEED_MANGLED_REL, text=True)
    assert run.returncode == 0
    assert run.stdout == flagged.stdout


def test_exit_zero_still_reports_errors(tmp_path) -> None:
    run = run_main("flag", "--exit-zero", SEED_MANGLED_REL, str(tmp_path / "missing.txt"), text=True)
    assert run.returncode == 2
    assert "missing.txt" in run.stderr


def test_quiet_prints_flagged_paragraphs_only() -> None:
    full = run_main("flag", SEED_MANGLED_REL, SEED_CLEAN_REL, text=True)
    quiet = run_main("flag", "-q", SEED_MANGLED_REL, SEED_CLEAN_REL, text=True)
    assert quiet.returncode == full.returncode == 1
    lines = full.stdout.splitlines()
    summaries = [line for line in lines if "prose paragraphs flagged" in line
                 or "prose paragraphs)" in line]
    assert len(summaries) == 3  # a line per file and the total
    assert quiet.stdout.splitlines() == [line for line in lines if line not in summaries]
    assert quiet.stdout


def test_quiet_on_clean_input_prints_nothing() -> None:
    run = run_main("flag", "--quiet", SEED_CLEAN_REL, text=True)
    assert run.returncode == 0
    assert run.stdout == ""


def _tree(root, repo_root):
    """A folder of inputs: text, Markdown in a subfolder, a hidden folder, an
    excluded folder and a file of no known kind."""
    clean = (repo_root / SEED_CLEAN_REL).read_text(encoding="utf-8")
    mangled = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")
    for rel, text in {"a.txt": clean, "sub/b.md": mangled, ".hidden/c.txt": mangled,
                      "build/d.txt": mangled, "notes.py": "print('hello')\n",
                      "sub/.e.txt": mangled}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _summaries(out: str) -> list[str]:
    return [line.split(": ", 1)[0] for line in out.splitlines()
            if "prose paragraphs flagged" in line]


def test_directory_is_searched_recursively(tmp_path, repo_root) -> None:
    from detector.io.discovery import find_files

    root = _tree(tmp_path / "in", repo_root)
    assert [p.relative_to(root).as_posix() for p in find_files(root)] == \
        ["a.txt", "build/d.txt", "sub/b.md"]
    run = run_main("flag", str(root), "--exclude", "build", text=True)
    assert run.returncode == 1
    assert _summaries(run.stdout) == [str(root / "a.txt"), str(root / "sub" / "b.md")]


@pytest.mark.parametrize("pattern, kept", [
    ("*.md", ["a.txt", "build/d.txt"]),
    ("sub/*", ["a.txt", "build/d.txt"]),
    ("a.*", ["build/d.txt", "sub/b.md"]),
    ("nothing", ["a.txt", "build/d.txt", "sub/b.md"]),
])
def test_exclude_globs_match_names_and_paths(tmp_path, repo_root, pattern, kept) -> None:
    from detector.io.discovery import find_files

    root = _tree(tmp_path / "in", repo_root)
    assert [p.relative_to(root).as_posix() for p in find_files(root, exclude=[pattern])] == kept


def test_a_file_named_on_the_command_line_is_never_excluded(tmp_path, repo_root) -> None:
    root = _tree(tmp_path / "in", repo_root)
    run = run_main("flag", str(root / "build" / "d.txt"), "--exclude", "build", "--exclude",
                   "*.txt", text=True)
    assert run.returncode == 1
    assert _summaries(run.stdout) == [str(root / "build" / "d.txt")]


def test_a_directory_without_inputs_is_an_error_and_the_rest_is_scored(tmp_path) -> None:
    empty = tmp_path / "empty"
    (empty / ".git").mkdir(parents=True)
    (empty / ".git" / "x.txt").write_text("hidden\n", encoding="utf-8")
    run = run_main("flag", str(empty), SEED_CLEAN_REL, text=True)
    assert run.returncode == 2
    assert f"{empty}: no input files (.txt" in run.stderr
    assert _summaries(run.stdout) == [SEED_CLEAN_REL]


PAGE = ("<html><head><title>t</title><script>var x = 1;</script></head><body><nav>Home | "
        "About</nav><article><p>{}</p></article></body></html>")


def test_stdin_filename_names_stdin_and_says_its_format(repo_root) -> None:
    paragraph = (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8").split("\n")[2]
    page = PAGE.format(paragraph).encode("utf-8")
    as_text = run_main("flag", "-", "--all", "--format", "json", stdin=page, text=True)
    as_html = run_main("flag", "-", "--all", "--format", "json", "--stdin-filename", "page.html",
                       stdin=page, text=True)
    text_record, = json.loads(as_text.stdout)["files"]
    html_record, = json.loads(as_html.stdout)["files"]
    assert text_record["path"] == "<stdin>" and html_record["path"] == "page.html"
    assert [p["skipped"] for p in text_record["paragraphs"]] == ["markup"]
    assert [p["skipped"] for p in html_record["paragraphs"]] == [None]


@pytest.mark.parametrize("options", [("--input-format", "jsonl"),
                                     ("--stdin-filename", "corpus.jsonl")])
def test_json_lines_on_stdin(repo_root, options) -> None:
    records = [{"id": "clean", "text": (repo_root / SEED_CLEAN_REL).read_text(encoding="utf-8")},
               {"id": "mangled", "text": (repo_root / SEED_MANGLED_REL).read_text(encoding="utf-8")}]
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    run = run_main("flag", "-", *options, "--format", "jsonl", stdin=data, text=True)
    assert run.returncode == 1
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(o["id"], o["label"]) for o in out] == [("clean", "clean"), ("mangled", "mangled")]


def test_input_format_reads_a_named_file_as_that_format(tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE.format("The minister said on Tuesday that the talks would resume "
                                "next week in Geneva, after a pause of two months."),
                    encoding="utf-8")
    as_text = json.loads(run_main("flag", str(page), "--all", "--format", "json",
                                  text=True).stdout)["files"][0]
    as_html = json.loads(run_main("flag", str(page), "--all", "--format", "json",
                                  "--input-format", "html", text=True).stdout)["files"][0]
    assert [p["skipped"] for p in as_text["paragraphs"]] == ["markup"]
    assert [p["skipped"] for p in as_html["paragraphs"]] == [None]


def _project(folder, body: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(body, encoding="utf-8")
    return folder


def test_tool_detector_found_upward_gives_defaults(tmp_path, repo_root, monkeypatch) -> None:
    root = _project(tmp_path / "proj", '[project]\nname = "x"\n\n[tool.detector]\n'
                                       'exclude = ["build"]\nexit-zero = true\nquiet = true\n')
    _tree(root / "docs", repo_root)
    _project(root / "docs" / "sub", '[tool.ruff]\nline-length = 100\n')  # no table: passed over
    monkeypatch.chdir(root / "docs" / "sub")
    run = run_main("flag", "..", text=True)
    assert run.returncode == 0  # exit-zero
    flagged = run.stdout.splitlines()
    assert flagged and all(line.startswith("../sub/b.md:") for line in flagged)  # build excluded
    assert "prose paragraphs flagged" not in run.stdout  # quiet
    isolated = run_main("flag", "..", "--isolated", text=True)
    assert isolated.returncode == 1
    assert "../build/d.txt: 25 of 25 prose paragraphs flagged" in isolated.stdout


def test_command_line_wins_over_the_file(tmp_path, monkeypatch) -> None:
    _project(tmp_path, '[tool.detector]\nthreshold = 0.99\nformat = "json"\n')
    monkeypatch.chdir(tmp_path)
    seed = str(REPO_ROOT / SEED_MANGLED_REL)
    from_file = json.loads(run_main("flag", seed, text=True).stdout)["files"][0]
    assert from_file["threshold"] == 0.99
    given = run_main("flag", seed, "--threshold", "0.5", "--format", "text", text=True)
    assert given.returncode == 1 and "threshold 0.50" in given.stdout


def test_model_path_in_the_file_is_relative_to_it(tmp_path, monkeypatch, tiny_model_path) -> None:
    shutil.copy(tiny_model_path, tmp_path / "m.skops")
    _project(tmp_path, '[tool.detector]\nmodel = "m.skops"\n')
    (tmp_path / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "deep")
    run = run_main("flag", str(REPO_ROOT / SEED_CLEAN_REL), "--format", "json", text=True)
    assert run.returncode in (0, 1), run.stderr
    tiny_threshold = json.loads(run_main("flag", str(REPO_ROOT / SEED_CLEAN_REL), "--format",
                                         "json", "--model", str(tiny_model_path),
                                         "--isolated", text=True).stdout)["files"][0]["threshold"]
    assert json.loads(run.stdout)["files"][0]["threshold"] == tiny_threshold


@pytest.mark.parametrize("body, message", [
    ('[tool.detector]\ntreshold = 0.5\n', "unknown key 'treshold'; did you mean 'threshold'?"),
    ('[tool.detector]\nexit_zero = true\n', "unknown key 'exit_zero'; did you mean 'exit-zero'?"),
    ('[tool.detector]\nthreshold = 2\n', "threshold must be a number from 0 to 1, not 2"),
    ('[tool.detector]\nexclude = "build"\n', "exclude must be a list of non-empty strings"),
    ('[tool.detector]\nformat = "xml"\n', "format must be one of text, json"),
    ('[tool.detector\n', "not valid TOML"),
    ('[tool]\ndetector = 3\n', "[tool.detector] must be a table"),
])
def test_a_bad_config_is_one_error(tmp_path, monkeypatch, body, message) -> None:
    _project(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    run = run_main("flag", str(REPO_ROOT / SEED_CLEAN_REL), text=True)
    assert run.returncode == 2
    assert message in run.stderr
    assert str(tmp_path / "pyproject.toml") in run.stderr
    assert run.stdout == ""


def _flagged_codes(out: str) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in out.splitlines()
            if re.match(r"^\S+:\d+:\d+: ", line)]


def test_ignore_drops_reasons_and_paragraphs_left_without_one() -> None:
    full = json.loads(run_main("flag", SEED_MANGLED_REL, "--format", "json",
                               text=True).stdout)["files"][0]
    run = run_main("flag", SEED_MANGLED_REL, "--format", "json", "--ignore", "ctx,model.style",
                   text=True)
    assert run.returncode == 1
    kept = json.loads(run.stdout)["files"][0]
    expected = [p["index"] for p in full["paragraphs"] if p["flagged"] and any(
        not r["code"].startswith("ctx.") and r["code"] != "model.style" for r in p["reasons"])]
    assert 0 < len(expected) < full["n_flagged"]
    assert [p["index"] for p in kept["paragraphs"] if p["flagged"]] == expected
    assert kept["n_flagged"] == len(expected)
    assert kept["score"] == full["score"]  # the filter reports; it does not rescore
    assert [p["score"] for p in kept["paragraphs"]] == [p["score"] for p in full["paragraphs"]]
    for paragraph in kept["paragraphs"]:
        assert all(not r["code"].startswith("ctx.") and r["code"] != "model.style"
                   for r in paragraph["reasons"])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_select_reports_only_those_codes(jobs: str) -> None:
    run = run_main("flag", SEED_MANGLED_REL, "--select", "art.mangled_date", "-j", jobs,
                   text=True)
    assert run.returncode == 1
    assert _flagged_codes(run.stdout) == ["art.mangled_date"]
    assert f"{SEED_MANGLED_REL}: 1 of 25 prose paragraphs flagged" in run.stdout


def test_select_nothing_present_exits_0() -> None:
    run = run_main("flag", SEED_MANGLED_REL, "--select", "rt.literal_title", text=True)
    assert run.returncode == 0
    assert _flagged_codes(run.stdout) == []


def test_unknown_code_in_select_is_an_error() -> None:
    run = run_main("flag", SEED_MANGLED_REL, "--ignore", "ctx.documnt", text=True)
    assert run.returncode == 2
    assert "--ignore: unknown reason code 'ctx.documnt'; did you mean ctx.document?" in run.stderr
    assert run.stdout == ""


def test_statistics_counts_reason_codes_of_flagged_paragraphs() -> None:
    full = json.loads(run_main("flag", SEED_MANGLED_REL, SEED_CLEAN_REL, "--format", "json",
                               text=True).stdout)["files"]
    expected: dict[str, int] = {}
    for record in full:
        for paragraph in record["paragraphs"]:
            if paragraph["flagged"]:
                for reason in paragraph["reasons"]:
                    expected[reason["code"]] = expected.get(reason["code"], 0) + 1
    run = run_main("flag", SEED_MANGLED_REL, SEED_CLEAN_REL, "--statistics", text=True)
    assert run.returncode == 1
    rows = [line.split() for line in run.stdout.splitlines()]
    assert {row[1]: int(row[0]) for row in rows} == expected
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert " ".join(rows[0][2:]) == REASON_CODES[rows[0][1]]


def test_statistics_and_show_source_need_the_text_format() -> None:
    for option in ("--statistics", "--show-source"):
        run = run_main("flag", SEED_MANGLED_REL, option, "--format", "json", text=True)
        assert run.returncode == 2
        assert f"{option} goes with --format text, not json" in run.stderr


def test_show_source_marks_the_span_of_the_first_reason() -> None:
    run = run_main("flag", SEED_MANGLED_REL, "--show-source", "--select", "art.mangled_date",
                   text=True)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(f"{SEED_MANGLED_REL}:14:"))
    _, column = map(int, lines[head].split(":")[1:3])
    gutter, source, carets = lines[head + 1:head + 4]
    assert gutter == "   |"
    assert source.startswith("14 | ")
    marked = carets.index("^")
    assert source[marked:marked + len("5. Martha")] == "5. Martha"
    assert carets[marked:] == "^" * len("5. Martha")
    original = (REPO_ROOT / SEED_MANGLED_REL).read_text(encoding="utf-8").split("\n")[13]
    assert original[column - 1:column - 1 + 9] == "5. Martha"


def test_json_lines_records_are_summed_up_per_file(tmp_path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    texts = [(REPO_ROOT / SEED_CLEAN_REL).read_text(encoding="utf-8"),
             (REPO_ROOT / SEED_MANGLED_REL).read_text(encoding="utf-8")]
    corpus.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n"
                              for i, t in enumerate(texts * 2)), encoding="utf-8")
    run = run_main("flag", str(corpus), SEED_CLEAN_REL, text=True)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert not any(line.startswith(f"{corpus}[r0]: ") for line in lines)  # no line per record
    assert lines[-3:] == [
        f"{corpus}: 2 of 4 records flagged (50 of 120 prose paragraphs)",
        f"{SEED_CLEAN_REL}: 0 of 35 prose paragraphs flagged, 3 skipped; document score "
        + lines[-2].split("document score ")[1],
        "total: 2 of 5 documents flagged (50 of 155 prose paragraphs)",
    ]
    assert lines[-4].startswith(f"{corpus}[r3]:")


def test_context_is_said_once_in_the_summary_not_on_every_line() -> None:
    record = json.loads(run_main("flag", SEED_MANGLED_REL, "--format", "json",
                                 text=True).stdout)["files"][0]
    with_context = [p for p in record["paragraphs"] if p["flagged"]
                    and any(r["code"] == "ctx.document" for r in p["reasons"])]
    only_context = [p for p in with_context if len(p["reasons"]) == 1]
    assert only_context and len(only_context) < len(with_context)
    summary = next(r for r in record["reasons"] if r["code"] == "ctx.document")
    assert summary["message"] == f"{len(with_context)} flagged only with the rest of the document"
    lines = run_main("flag", SEED_MANGLED_REL, text=True).stdout.splitlines()
    by_line = {int(line.split(":")[1]): line for line in lines[:-1]}
    for paragraph in with_context:
        shown = by_line[paragraph["line"]]
        assert ("flagged with the rest of the document" in shown) == (paragraph in only_context)
    assert lines[-1].endswith(f"; {summary['message']}")


def test_conventions_as_a_user_runs_them(run_cli, tmp_path) -> None:
    """The conventions above, each run once as a user runs them: a fresh
    ``python -m detector`` process, its exit code and output."""
    version = run_cli("-V")
    assert version.returncode == 0 and re.fullmatch(r"detector \d+\.\d+\.\d+\S*\n", version.stdout)
    listed = run_cli("--list-reasons")
    assert listed.returncode == 0 and "art.mangled_date" in listed.stdout
    explained = run_cli("explain", "art.mangled_date")
    assert explained.returncode == 0 and EXPLANATIONS["art.mangled_date"].split()[0] in explained.stdout
    typo = run_cli("flg", SEED_CLEAN_REL)
    assert typo.returncode == 2 and "did you mean 'flag'?" in typo.stderr and typo.stdout == ""
    assert run_cli("flag", "--exit-zero", SEED_MANGLED_REL).returncode == 0
    selected = run_cli("flag", "--select", "art.mangled_date", SEED_MANGLED_REL)
    assert selected.returncode == 1
    lines = [line for line in selected.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    assert lines and all(line.split()[1] == "art.mangled_date" for line in lines)
    statistics = run_cli("flag", "--statistics", SEED_MANGLED_REL)
    assert statistics.returncode == 1
    assert all(re.match(r"^\s*\d+\s+[a-z]+\.[a-z_]+\s", line) for line in statistics.stdout.splitlines())
    quiet = run_cli("flag", "-q", SEED_CLEAN_REL)
    assert quiet.returncode == 0 and quiet.stdout == ""
    # a directory is searched, hidden folders skipped; [tool.detector] found upward
    project = tmp_path / "site"
    (project / "news" / "deep").mkdir(parents=True)
    (project / ".cache").mkdir()
    text = (REPO_ROOT / SEED_MANGLED_REL).read_text(encoding="utf-8")
    (project / "news" / "deep" / "copy.txt").write_text(text, encoding="utf-8")
    (project / ".cache" / "copy.txt").write_text(text, encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.detector]\nexit-zero = true\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run([sys.executable, "-m", "detector", "flag", "."], cwd=project / "news",
                         capture_output=True, text=True, encoding="utf-8", timeout=300, env=env)
    assert run.returncode == 0, run.stderr  # exit-zero from the file two levels up
    paths = {line.split(":")[0] for line in run.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)}
    assert paths == {"deep/copy.txt"}


def test_input_and_selection_options_as_a_user_runs_them(run_cli, tmp_path) -> None:
    """``--ignore``, ``--show-source``, ``--input-format``, ``--stdin-filename``
    and ``--exclude`` in a fresh ``python -m detector`` process each."""
    ignored = run_cli("flag", "--ignore", "art.mangled_date", SEED_MANGLED_REL)
    assert ignored.returncode == 1
    codes = [line.split()[1] for line in ignored.stdout.splitlines()
             if re.match(r"^\S+:\d+:\d+: ", line)]
    assert codes and "art.mangled_date" not in codes
    shown = run_cli("flag", "--show-source", "--select", "art.mangled_date", SEED_MANGLED_REL)
    assert shown.returncode == 1
    lines = shown.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(f"{SEED_MANGLED_REL}:14:"))
    assert lines[head + 2].startswith("14 | ") and "^" in lines[head + 3]
    paragraph = (REPO_ROOT / SEED_MANGLED_REL).read_text(encoding="utf-8").split("\n")[2]
    page = PAGE.format(paragraph)
    for options in (("--input-format", "html"), ("--stdin-filename", "page.html")):
        run = run_cli("flag", "-", "--all", "--format", "json", *options, input=page)
        assert run.returncode == 1, run.stderr
        record, = json.loads(run.stdout)["files"]
        assert [p["skipped"] for p in record["paragraphs"]] == [None]
    as_text = run_cli("flag", "-", "--all", "--format", "json", input=page)
    assert as_text.returncode == 0
    assert [p["skipped"] for p in json.loads(as_text.stdout)["files"][0]["paragraphs"]] == ["markup"]
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "copy.txt").write_text(paragraph, encoding="utf-8")
    (tmp_path / "kept.txt").write_text(paragraph, encoding="utf-8")
    excluded = run_cli("flag", str(tmp_path), "--exclude", "build")
    assert excluded.returncode == 1
    paths = {line.split(":")[0] for line in excluded.stdout.splitlines()
             if re.match(r"^\S+:\d+:\d+: ", line)}
    assert paths == {str(tmp_path / "kept.txt")}
