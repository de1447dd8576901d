"""Fault injection: hostile names, broken records, odd output targets, full
disks, signals and killed parents. Every case asserts the exact exit code,
that no traceback is printed, and that nothing that existed before the run
changed except the output it was asked to write.

The command runs in this interpreter (:func:`conftest.run_main`: the same
``main`` with its standard streams on real files) unless a process is the
point: signals, kills, a closed pipe, worker processes, a lock held by another
run, and what the interpreter does at exit with a standard output that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_main
from model_files import metadata_of, put_metadata, two_file_copy
from detector.io.output import partial_path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The first clean paragraph the tiny model is trained on (tests/conftest.py):
# a run on PROSE alone flags nothing and exits 0.
PROSE = ("The city council met on Monday to discuss the new budget. Members argued "
         "for hours about the cost of repairing the old bridge.")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def detector(*args: str | bytes, stdin: object = subprocess.DEVNULL, stdout: object = None,
             timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m detector ARGS``; stdout and stderr captured (as bytes)."""
    proc = subprocess.run([sys.executable, "-m", "detector", *args], cwd=REPO_ROOT,
                          stdin=stdin, stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout, env=_env())
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


def here(*args: str | bytes, stdin: object = None, stdout: object = None):  # type: ignore[no-untyped-def]
    """``detector ARGS`` in this interpreter (:func:`conftest.run_main`), with
    the result :func:`detector` gives; a ``bytes`` argument is decoded as the
    interpreter decodes ``sys.argv``."""
    return run_main(*(os.fsdecode(a) for a in args), stdin=stdin, stdout=stdout)


def _as_from_a_terminal() -> None:
    """In the child before it runs: Ctrl-C does what it does for a command
    typed at a terminal, even when the tests themselves were started with
    SIGINT ignored (a background job of a non-interactive shell is)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str, **kwargs: object) -> subprocess.Popen:
    """``python -m detector ARGS`` in the background."""
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "detector", *args], cwd=REPO_ROOT,
                            stdin=subprocess.DEVNULL, env=_env(),
                            preexec_fn=_as_from_a_terminal, **kwargs)


def snapshot(*roots: Path) -> dict[str, tuple]:
    """Every entry below ``roots``: its kind, mode and content (or link target)."""
    seen = {}
    for root in roots:
        for path in [root, *root.rglob("*")]:
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                seen[str(path)] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                seen[str(path)] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
            else:
                seen[str(path)] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode))
    return seen


def unchanged_except(before: dict[str, tuple], roots: tuple[Path, ...], *allowed: Path) -> None:
    after = snapshot(*roots)
    skip = {str(p) for p in allowed}
    assert {k: v for k, v in after.items() if k not in skip} == \
        {k: v for k, v in before.items() if k not in skip}


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.1)


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


class Fifo:
    """A named pipe used as a JSON Lines input, held open read-write by the
    test so that the detector never blocks on opening it; records are fed one
    by one and ``close`` gives the end of the input."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.fd = os.open(path, os.O_RDWR)

    def feed(self, n: int, start: int = 0) -> None:
        for k in range(start, start + n):
            os.write(self.fd, (json.dumps({"id": k, "text": PROSE}) + "\n").encode())

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def model(tiny_model_path: Path) -> list[str]:
    return ["--model", str(tiny_model_path)]


# ---------------------------------------------------------------------------
# -o never writes over an input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "stdin"])
def test_output_that_is_the_input_is_refused(tmp_path, model, how):
    source = jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": PROSE}])
    target = tmp_path / "a.jsonl"
    if how == "symlink":
        target = tmp_path / "link.jsonl"
        target.symlink_to(source)
    elif how == "hardlink":
        target = tmp_path / "hard.jsonl"
        os.link(source, target)
    before = snapshot(tmp_path)
    if how == "stdin":
        with open(source, "rb") as handle:
            proc = here("flag", *model, "-o", str(target), "-", stdin=handle)
    else:
        proc = here("flag", *model, "--format", "jsonl", "-o", str(target), str(source))
    assert proc.returncode == 2
    assert b"would overwrite the input" in proc.stderr
    unchanged_except(before, (tmp_path,))


def test_output_that_is_a_reference_is_refused(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    reference = tmp_path / "ref.txt"
    reference.write_text(PROSE, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = here("flag", "--reference", str(reference), "-o", str(reference), str(document))
    assert proc.returncode == 2 and b"would overwrite the input" in proc.stderr
    unchanged_except(before, (tmp_path,))


@pytest.mark.parametrize("which", ["one-file model", "older model", "older model's metadata"])
def test_output_that_is_the_model_is_refused(tmp_path, tiny_model_path, which):
    if which == "one-file model":
        shutil.copy(tiny_model_path, tmp_path / "m.skops")
    else:
        two_file_copy(tiny_model_path, tmp_path / "m.skops")
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    target = tmp_path / ("m.json" if which.endswith("metadata") else "m.skops")
    before = snapshot(tmp_path)
    proc = here("flag", "--model", str(tmp_path / "m.skops"), "-o", str(target),
                    str(document))
    assert proc.returncode == 2 and b"would overwrite the input" in proc.stderr
    unchanged_except(before, (tmp_path,))


def test_output_beside_a_one_file_model_is_not_its_input(tmp_path, tiny_model_path):
    # A one-file model reads nothing beside it: m.json is an ordinary output.
    shutil.copy(tiny_model_path, tmp_path / "m.skops")
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    proc = here("flag", "--model", str(tmp_path / "m.skops"), "-o", str(tmp_path / "m.json"),
                "--format", "json", str(document))
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["files"]


def test_match_and_evaluate_output_over_an_input_is_refused(tmp_path, model):
    originals = tmp_path / "originals"
    originals.mkdir()
    (originals / "o.txt").write_text(PROSE, encoding="utf-8")
    suspect = tmp_path / "s.txt"
    suspect.write_text(PROSE, encoding="utf-8")
    data = jsonl(tmp_path / "data.jsonl", [{"text": PROSE, "label": "clean"}])
    before = snapshot(tmp_path)
    for args in (["match", "--originals", str(originals), "--suspects", str(suspect),
                  "-o", str(originals / "o.txt")],
                 ["match", "--originals", str(originals), "--suspects", str(suspect),
                  "-o", str(suspect)],
                 ["evaluate", *model, "-o", str(data), str(data)],
                 ["evaluate", *model, "--plot", str(tmp_path / "data.jsonl"), str(data)]):
        proc = here(*args)
        assert proc.returncode == 2, args
        assert b"overwrite the input" in proc.stderr, proc.stderr
    unchanged_except(before, (tmp_path,))


def test_train_over_an_older_model_whose_metadata_is_an_input_is_refused(tmp_path,
                                                                        tiny_pairs_jsonl,
                                                                        tiny_model_path):
    # Replacing the older two-file model data.skops removes its data.json,
    # here also given as training data: refused before training.
    two_file_copy(tiny_model_path, tmp_path / "data.skops")
    (tmp_path / "copy.txt").write_text("The minister told the talks would resume in Paris next week.\n")
    before = snapshot(tmp_path)
    proc = here("train", str(tiny_pairs_jsonl), "--pair", str(tmp_path / "data.json"),
                str(tmp_path / "copy.txt"), "-o", str(tmp_path / "data.skops"))
    assert proc.returncode == 2 and b"would overwrite the input" in proc.stderr
    assert proc.stderr.count(b"\n") == 1
    unchanged_except(before, (tmp_path,))


# ---------------------------------------------------------------------------
# -o targets: replaced at the end, mode kept, symlinks and pipes kept
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "jsonl", "json", "sarif", "html"])
def test_existing_output_replaced_with_its_mode(tmp_path, model, fmt):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    target = tmp_path / "out"
    target.write_text("old\n")
    target.chmod(0o640)
    before = snapshot(tmp_path)
    proc = here("flag", *model, "--format", fmt, "-o", str(target), str(document))
    assert proc.returncode == 0, proc.stderr  # PROSE is clean to the tiny model
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") != "old\n" and "doc.txt" in target.read_text()
    unchanged_except(before, (tmp_path,), target)


def test_symlink_target_stays_a_symlink(tmp_path, model):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    proc = here("flag", *model, "--format", "json", "-o", str(link), str(document))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["files"][0]["path"] == str(document)


def test_fifo_target_is_written_not_replaced(tmp_path, model):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    pipe = tmp_path / "out.pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDWR | os.O_NONBLOCK)
    try:
        proc = here("flag", *model, "--format", "json", "-o", str(pipe), str(document))
        assert proc.returncode == 0, proc.stderr
        assert stat.S_ISFIFO(os.stat(pipe).st_mode)
        assert json.loads(os.read(reader, 1 << 16))["files"][0]["path"] == str(document)
    finally:
        os.close(reader)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "out.pipe"]


@pytest.mark.parametrize("case", ["read-only file", "read-only directory",
                                  "missing directory", "directory"])
def test_unwritable_target_refused(tmp_path, model, case):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.txt"
    expected = b"read-only"
    if case == "read-only file":
        target.write_text("old\n")
        target.chmod(0o444)
    elif case == "read-only directory":
        folder.chmod(0o555)
        expected = b"no permission to write in"
    elif case == "missing directory":
        target = folder / "missing" / "report.txt"
        expected = b"no directory"
    else:
        target = folder
        expected = b"is a directory"
    before = snapshot(tmp_path)
    try:
        proc = here("flag", *model, "-o", str(target), str(document))
        assert proc.returncode == 2 and expected in proc.stderr, proc.stderr
        unchanged_except(before, (tmp_path,))
    finally:
        folder.chmod(0o755)


# ---------------------------------------------------------------------------
# Write errors and closed pipes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("where", ["stdout", "-o"])
def test_disk_full(tmp_path, model, fmt, where):
    # A writer that renames over its target would replace /dev/full itself
    # (as root): the device must still be one after the run.
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "/dev/full is not a device"
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    before = snapshot(tmp_path)
    if where == "stdout":
        # text as a process too: the interpreter must not complain at exit
        # about a standard output it cannot flush.
        run = detector if fmt == "text" else here
        with open("/dev/full", "wb") as full:
            proc = run("flag", *model, "--format", fmt, str(document), stdout=full)
    else:
        proc = here("flag", *model, "--format", fmt, "-o", "/dev/full", str(document))
    assert proc.returncode == 2
    assert proc.stderr.count(b"\n") == 1 and b"No space left on device" in proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    unchanged_except(before, (tmp_path,))


@pytest.mark.parametrize("fmt", ["text", "jsonl", "json"])
def test_io_error_on_stdout(tmp_path, model, fmt):
    # A terminal whose other end has gone: on Linux every write to the
    # pseudo-terminal's slave side fails with EIO.
    master, slave = os.openpty()
    os.close(master)
    document = tmp_path / "doc.txt"
    document.write_text(PROSE, encoding="utf-8")
    before = snapshot(tmp_path)
    run = detector if fmt == "text" else here  # text as a process too, as in test_disk_full
    try:
        proc = run("flag", *model, "--format", fmt, str(document), stdout=slave)
    finally:
        os.close(slave)
    assert proc.returncode == 2
    assert proc.stderr == b"detector: error: <stdout>: cannot write (Input/output error)\n"
    unchanged_except(before, (tmp_path,))


def test_broken_pipe_exits_quietly(tmp_path, model):
    fifo = Fifo(tmp_path / "in.jsonl")
    proc = start("flag", *model, "--all", "--format", "jsonl", str(fifo.path),
                 stdout=subprocess.PIPE)
    try:
        fifo.feed(3)
        assert proc.stdout.readline().startswith(b"{")  # like `| head -1`
        proc.stdout.close()
        fifo.feed(50, start=3)
    finally:
        fifo.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""


# ---------------------------------------------------------------------------
# Signals, kills and a second run on the same target
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_interrupted_run_leaves_target_and_no_partial(tmp_path, model, sig, code, fmt):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    fifo = Fifo(tmp_path / "in.jsonl")
    before = snapshot(tmp_path)
    proc = start("flag", *model, "--format", fmt, "-o", str(target), str(fifo.path))
    try:
        wait_for(partial_path(target).exists)
        fifo.feed(3)
        if fmt == "jsonl":  # a line per record, flushed as it is scored
            wait_for(lambda: lines_in(partial_path(target)) == 3)
        else:
            time.sleep(3)
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == code
    finally:
        fifo.close()
    assert b"Traceback" not in proc.stderr.read()
    assert not partial_path(target).exists()
    unchanged_except(before, (tmp_path,))


def test_killed_run_keeps_complete_lines_in_the_partial_file(tmp_path, model):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    fifo = Fifo(tmp_path / "in.jsonl")
    proc = start("flag", *model, "--format", "jsonl", "-o", str(target), str(fifo.path))
    partial = partial_path(target)
    try:
        fifo.feed(4)
        wait_for(lambda: lines_in(partial) == 4)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        fifo.close()
    assert target.read_text() == "old\n"
    assert [json.loads(line)["id"] for line in partial.read_text().splitlines()] == \
        ["0", "1", "2", "3"]
    document = jsonl(tmp_path / "next.jsonl", [{"id": "n", "text": PROSE}])
    assert here("flag", *model, "--format", "jsonl", "-o", str(target),
                    str(document)).returncode == 0
    assert not partial.exists() and json.loads(target.read_text())["id"] == "n"


def test_second_run_on_the_same_target_fails_at_once(tmp_path, model):
    target = tmp_path / "out.jsonl"
    fifo = Fifo(tmp_path / "in.jsonl")
    first = start("flag", *model, "--format", "jsonl", "-o", str(target), str(fifo.path))
    try:
        fifo.feed(2)
        wait_for(lambda: lines_in(partial_path(target)) == 2)
        other = jsonl(tmp_path / "other.jsonl", [{"id": "x", "text": PROSE}])
        second = detector("flag", *model, "--format", "jsonl", "-o", str(target), str(other),
                          timeout=60)
        assert second.returncode == 2
        assert f"another detector run is writing {target}".encode() in second.stderr
        fifo.feed(2, start=2)
    finally:
        fifo.close()
    assert first.wait(timeout=60) == 0
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == \
        ["0", "1", "2", "3"]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_their_parent(tmp_path, sig):
    # The default model, slow enough that the run is still going when killed.
    source = jsonl(tmp_path / "in.jsonl", [{"id": k, "text": PROSE} for k in range(3000)])
    out = tmp_path / "out.jsonl"
    proc = start("flag", "-j", "2", "--format", "jsonl", "-o", str(out), str(source))
    try:
        wait_for(lambda: lines_in(partial_path(out)) >= 16, seconds=240)
        workers = _children(proc.pid)
        assert workers
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
        wait_for(lambda: not any(_alive(w) for w in workers), seconds=15)
    finally:
        proc.kill()
        proc.wait()
    assert not out.exists()


# ---------------------------------------------------------------------------
# Escaping: names and ids from data
# ---------------------------------------------------------------------------


def test_control_characters_in_ids_cannot_forge_lines(tmp_path, model):
    source = jsonl(tmp_path / "a.jsonl", [
        {"id": "x\ny: 0 of 0 prose paragraphs flagged\x1b[2J", "text": PROSE},
        {"id": "plain", "text": PROSE}])
    proc = here("flag", *model, "--all", str(source))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    # with --all, each record's paragraph and summary; then the file's and the total
    assert len(lines) == 6 and all(line.startswith(f"{source}[") for line in lines[:4])
    assert lines[4].startswith(f"{source}: 0 of 2 records flagged")
    assert lines[5].startswith("total: 0 of 2 documents flagged")
    assert b"\x1b" not in proc.stdout
    assert "[x\\ny: 0 of 0 prose paragraphs flagged\\x1b[2J]" in lines[0]


def test_control_characters_in_stderr_messages(tmp_path, model):
    proc = here("flag", *model, str(tmp_path / "no\nsuch\x1b.txt"))
    assert proc.returncode == 2
    assert proc.stderr.count(b"\n") == 1 and b"\x1b" not in proc.stderr
    assert b"no\\nsuch\\x1b.txt" in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "html"])
def test_names_that_are_not_utf8_and_lone_surrogates(tmp_path, model, fmt):
    name = os.fsencode(tmp_path) + b"/caf\xe9\n.txt"
    with open(name, "wb") as handle:
        handle.write(PROSE.encode())
    records = [{"id": k, "text": PROSE} for k in range(6)]
    records[2]["id"] = "\ud800"
    records[4]["text"] = "\ud800 " + PROSE
    source = tmp_path / "ids.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    # text as a process too: the name reaches it as bytes in argv.
    run = detector if fmt == "text" else here
    proc = run("flag", *model, "--all", "--format", fmt, name, str(source))
    assert proc.returncode == 0, proc.stderr  # every document is PROSE, clean to the tiny model
    out = proc.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    shown_name = os.fsdecode(name)
    if fmt == "json":
        files = json.loads(out)["files"]
        assert [f["path"] for f in files] == [shown_name] + [str(source)] * 6
        assert files[3]["id"] == "\ud800"
    elif fmt == "jsonl":
        files = [json.loads(line) for line in out.split("\n")[:-1]]
        assert len(files) == 7 and files[0]["path"] == shown_name
    elif fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["artifacts"]) == 7
    elif fmt == "html":
        assert out.rstrip().endswith("</html>") and "caf\ufffd" in out
    else:
        assert "caf\\udce9\\n.txt: " in out and f"{source}[\\ud800]:1:1: clean" in out
        # with --all a summary per document, then the JSON Lines file's, and the total
        assert len([line for line in out.splitlines() if "prose paragraph" in line]) == 9


# ---------------------------------------------------------------------------
# JSON Lines: one bad record costs only itself; endless input is refused
# ---------------------------------------------------------------------------


def _bad_record_run(tmp_path: Path, model: list[str], bad: bytes) -> list[dict]:
    source = tmp_path / "a.jsonl"
    good = (json.dumps({"id": "first", "text": PROSE}) + "\n").encode()
    last = (json.dumps({"id": "last", "text": PROSE}) + "\n").encode()
    source.write_bytes(good + bad + b"\n" + last)
    before = snapshot(tmp_path)
    proc = here("flag", *model, "--format", "jsonl", str(source))
    assert proc.returncode == 2
    assert proc.stderr.count(b"\n") == 1
    unchanged_except(before, (tmp_path,))
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["first", "2", "last"]
    assert "error" in records[1] and "error" not in records[2]
    return records


def test_deeply_nested_record_is_its_own_error(tmp_path, model):
    records = _bad_record_run(tmp_path, model, b"[" * 100_000 + b"]" * 100_000)
    assert "nested too deeply" in records[1]["error"]


def test_record_not_utf8_is_its_own_error(tmp_path, model):
    records = _bad_record_run(tmp_path, model, b'{"id": "x", "text": "caf\xe9"}')
    assert "not UTF-8" in records[1]["error"]


def test_record_over_the_size_limit_is_its_own_error(tmp_path, model):
    from detector.io.jsonl import MAX_RECORD_BYTES

    big = b'{"id": "big", "text": "' + b"a" * MAX_RECORD_BYTES + b'"}'
    records = _bad_record_run(tmp_path, model, big)
    assert "64 MiB" in records[1]["error"]


@pytest.mark.parametrize("name", ["zero.jsonl", "zero.txt"])
def test_input_that_never_ends_is_refused(tmp_path, model, name):
    (tmp_path / name).symlink_to("/dev/zero")
    proc = here("flag", *model, str(tmp_path / name))
    assert proc.returncode == 2 and b"256 MiB" in proc.stderr


def test_empty_gzip_is_an_error(tmp_path, model):
    (tmp_path / "a.jsonl.gz").write_bytes(b"")
    for args in (["flag", *model], ["evaluate", *model]):
        proc = here(*args, str(tmp_path / "a.jsonl.gz"))
        assert proc.returncode == 2 and b"empty file: not gzip data" in proc.stderr


def test_evaluate_deeply_nested_line_is_one_message(tmp_path, model):
    source = tmp_path / "a.jsonl"
    source.write_bytes(b"[" * 100_000 + b"]" * 100_000 + b"\n")
    proc = here("evaluate", *model, str(source))
    assert proc.returncode == 2 and b"nested too deeply" in proc.stderr


# ---------------------------------------------------------------------------
# Model files
# ---------------------------------------------------------------------------


def _tiny_state(tiny_model_path: Path) -> dict:
    import skops.io as sio

    data = tiny_model_path.read_bytes()
    return sio.loads(data, trusted=sio.get_untrusted_types(data=data))


def _write_model(folder: Path, tiny_model_path: Path, data: bytes,
                 metadata: object = None, layout: str = "one file") -> Path:
    """The model archive ``data`` as ``folder/m.skops`` with the tiny model's
    metadata (or ``metadata``) inside; with ``layout="metadata beside"``, as a
    format-4 model: no metadata member, the metadata in ``m.json``."""
    path = folder / "m.skops"
    path.write_bytes(data)
    shown = metadata_of(tiny_model_path) if metadata is None else metadata
    if layout == "metadata beside":
        return two_file_copy(path, path, {**shown, "format": 4} if metadata is None else shown)
    return put_metadata(path, shown)


@pytest.mark.parametrize("layout", ["one file", "metadata beside"])
@pytest.mark.parametrize("extra", ["SGDClassifier", "FunctionTransformer"])
def test_model_with_a_type_skops_trusts_by_default_is_refused(tmp_path, tiny_model_path,
                                                              extra, layout):
    import numpy as np
    import skops.io as sio
    from sklearn.linear_model import SGDClassifier
    from sklearn.preprocessing import FunctionTransformer

    state = _tiny_state(tiny_model_path)
    state["extra"] = (SGDClassifier(loss="log_loss").fit(np.array([[0.0], [1.0]]), [0, 1])
                      if extra == "SGDClassifier" else FunctionTransformer())
    path = _write_model(tmp_path, tiny_model_path, sio.dumps(state), layout=layout)
    document = tmp_path / "doc.txt"
    document.write_text(PROSE)
    proc = here("flag", "--model", str(path), str(document))
    assert proc.returncode == 2
    assert b"refused" in proc.stderr and extra.encode() in proc.stderr


def test_model_member_over_the_size_cap_is_refused(tmp_path, tiny_model_path):
    from detector.model.trust import MAX_MEMBER_BYTES

    path = tmp_path / "m.skops"
    shutil.copy(tiny_model_path, path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(MAX_MEMBER_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 10 * 2**20
    document = tmp_path / "doc.txt"
    document.write_text(PROSE)
    proc = here("flag", "--model", str(path), str(document))
    assert proc.returncode == 2 and b"expand to more than the limit" in proc.stderr


def _metadata_cases(tiny_model_path: Path) -> dict[str, object]:
    good = metadata_of(tiny_model_path)
    cases: dict[str, object] = {"a list": [good]}
    for name, field, value in (("no threshold", "threshold", None),
                               ("threshold a string", "threshold", "high"),
                               ("threshold out of range", "threshold", 1.5),
                               ("threshold a bool", "threshold", True),
                               ("feature names a number", "feature_names", 7),
                               ("versions a string", "versions", "1.0"),
                               ("format a string", "format", "2")):
        changed = dict(good)
        if value is None:
            del changed[field]
        else:
            changed[field] = value
        cases[name] = changed
    return cases


@pytest.mark.parametrize("layout", ["one file", "metadata beside"])
def test_invalid_metadata_is_one_message(tmp_path, tiny_model_path, layout):
    document = tmp_path / "doc.txt"
    document.write_text(PROSE)
    for name, metadata in _metadata_cases(tiny_model_path).items():
        path = _write_model(tmp_path, tiny_model_path, tiny_model_path.read_bytes(), metadata,
                            layout)
        proc = here("flag", "--model", str(path), str(document))
        assert proc.returncode == 2, name
        assert proc.stderr.count(b"\n") == 1 and b"invalid metadata" in proc.stderr, \
            (name, proc.stderr)


@pytest.mark.parametrize("layout", ["one file", "metadata beside"])
def test_invalid_metadata_in_python(tmp_path, tiny_model_path, layout):
    from detector.errors import ModelError
    from detector.model.persistence import load_model

    for name, metadata in _metadata_cases(tiny_model_path).items():
        path = _write_model(tmp_path, tiny_model_path, tiny_model_path.read_bytes(), metadata,
                            layout)
        with pytest.raises(ModelError, match="invalid metadata"):
            load_model(path)


def test_score_document_model_argument():
    from detector.errors import ModelError
    from detector.score.document import score_document

    with pytest.raises(ModelError, match="nonexistent: no such model file"):
        score_document(PROSE, model="nonexistent")
    with pytest.raises(TypeError, match="not int"):
        score_document(PROSE, model=42)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# The README's bad-input table, end to end: nothing changes but the output
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("content, code", [
    (b"", 0), (b"word", 0), (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, 2), (b"a\0b", 2),
    ("caf\xe9 au lait is a drink people like".encode("latin-1"), 2),
])
def test_bad_input_table_leaves_everything_but_the_output(tmp_path, model, content, code):
    source = tmp_path / "in.txt"
    source.write_bytes(content)
    target = tmp_path / "out.json"
    before = snapshot(tmp_path)
    proc = here("flag", *model, "--format", "json", "-o", str(target), str(source))
    assert proc.returncode == code
    assert json.loads(target.read_text())["files"][0]["path"] == str(source)
    unchanged_except(before, (tmp_path,), target)
