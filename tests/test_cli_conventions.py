"""Linter conventions of the command line: -V, help with defaults and exit
codes, "did you mean", reason codes explained, --exit-zero and --quiet."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_CLEAN_REL, SEED_MANGLED_REL, run_main
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
    summaries = [line for line in lines if "prose paragraphs flagged" in line]
    assert len(summaries) == 2
    assert quiet.stdout.splitlines() == [line for line in lines if line not in summaries]
    assert quiet.stdout


def test_quiet_on_clean_input_prints_nothing() -> None:
    run = run_main("flag", "--quiet", SEED_CLEAN_REL, text=True)
    assert run.returncode == 0
    assert run.stdout == ""
