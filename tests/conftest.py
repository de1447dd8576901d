"""Shared fixtures: paths, a tiny trained model and CLI runners (``run_cli``,
a subprocess; ``run_main``, the same ``main`` in this interpreter).

The shipped default model is rebuilt independently of these tests, so almost
every test scores with a tiny model trained here from synthetic documents.
Only the CLI, offline and seed end-to-end tests use the default model.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_CLEAN_REL = "seeds/000_b8c68d1ff3b8ca38.txt"
SEED_MANGLED_REL = "seeds/002_2c1e469cce9ae44f.txt"

# Headless chromium, as the HTML report and the service's page are tested in it.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium_binary() -> str:
    """Debian's chromium; the test fails (never skips) without it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "the HTML report is tested in Debian's chromium: apt-get install -y chromium"
    return found


# ---------------------------------------------------------------------------
# Synthetic training data for the tiny model
# ---------------------------------------------------------------------------

CLEAN_DOCUMENTS: tuple[tuple[str, ...], ...] = (
    (
        "The city council met on Monday to discuss the new budget. Members argued "
        "for hours about the cost of repairing the old bridge.",
        "The mayor said she doesn't expect a final vote before the summer. She "
        "added that residents will be asked for their views first.",
        "Local businesses have welcomed the plan, although some worry about "
        "traffic during the works.",
    ),
    (
        "Scientists at the university have found a new species of frog in the "
        "mountains of Peru. The tiny animal is no bigger than a thumbnail.",
        "The team spent three months in the forest, walking for days between "
        "camps. It's the first new frog described there in a decade.",
        "They hope the discovery will help protect the area from logging, which "
        "has grown quickly in recent years.",
    ),
    (
        "The football club announced on Friday that its coach would leave at the "
        "end of the season. He has been in charge for six years.",
        "Fans gathered outside the stadium to thank him. Many of them said they "
        "couldn't imagine the team without him.",
        "The board has not yet named a successor, but several candidates are "
        "said to be interested in the job.",
    ),
    (
        "Heavy rain caused flooding across the north of the country over the "
        "weekend. Roads were closed and trains were cancelled.",
        "Emergency services rescued dozens of people from their homes. Nobody "
        "was seriously hurt, officials said on Sunday.",
        "Forecasters expect the weather to improve later in the week, but they "
        "warned that rivers will stay high for some time.",
    ),
    (
        "A new museum of modern art opened its doors in the old harbour district "
        "this week. Thousands of visitors queued to get inside.",
        "The building used to be a warehouse for grain and coffee. Architects "
        "kept the brick walls and added a glass roof.",
        "The director said the museum won't charge for entry on the first Sunday "
        "of every month, so that families can come.",
    ),
    (
        "The government plans to raise the minimum wage next year, the finance "
        "minister told parliament on Wednesday.",
        "Unions said the increase was too small and called for talks. Employers "
        "warned that some shops might have to cut jobs.",
        "Economists are divided on the likely effect, and most say it depends on "
        "how fast prices keep rising.",
    ),
)

_CAPITALISE = re.compile(r"\b(?:said|on|for|the|will|have|about|people|weekend|season)\b")


def mangle(paragraph: str, seed: int) -> str:
    """A crude machine-translation round trip: visible artefacts of the kinds
    the detector looks for (mid-sentence capitals, duplicated phrases, spelled
    out contractions, lower-cased month names, tokenizer spacing)."""
    text = paragraph.replace("doesn't", "does not").replace("It's", "It is")
    text = text.replace("couldn't", "could not").replace("won't", "will not")
    count = 0

    def upper(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        word = match.group(0)
        return word.capitalize() if count % 2 == seed % 2 else word

    text = _CAPITALISE.sub(upper, text)
    words = text.split(" ")
    middle = len(words) // 2
    text = " ".join(words[:middle] + words[middle - 2:middle] + words[middle:])
    text = text.replace(", ", " , ", 1)
    return text + " In the friday, the Officials Said ."


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where seeds/ and detector/ live)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_clean(repo_root: Path) -> Path:
    """Seed 000: a human-written article, blank-line paragraphs."""
    return repo_root / SEED_CLEAN_REL


@pytest.fixture(scope="session")
def seed_mangled(repo_root: Path) -> Path:
    """Seed 002: a machine-translated copy of 000, one paragraph per line."""
    return repo_root / SEED_MANGLED_REL


@dataclass(frozen=True)
class TinyModel:
    """A tiny model trained on synthetic documents, saved and loaded back."""

    path: Path
    model: object  # detector.DetectorModel, loaded back from ``path``
    fitted: object  # the DetectorModel as fit_detector returned it


@pytest.fixture(scope="session")
def tiny_documents():
    """Labelled synthetic documents: each clean one and its mangled copy share a group."""
    from detector.fit.training_matrix import LabelledDocument

    documents = []
    for number, paragraphs in enumerate(CLEAN_DOCUMENTS):
        group = f"pair{number}"
        documents.append(LabelledDocument(paragraphs, (0,) * len(paragraphs), group, "synthetic"))
        mangled = tuple(mangle(p, number + k) for k, p in enumerate(paragraphs))
        documents.append(LabelledDocument(mangled, (1,) * len(mangled), group, "synthetic"))
    return documents


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory, tiny_documents) -> TinyModel:
    """The tiny model: its saved path (one file, its metadata inside) and the loaded model."""
    from detector.model.persistence import load_model, save_model
    from detector.fit.detector_fitting import fit_detector
    from detector.fit.training_matrix import featurize

    from threadpoolctl import threadpool_limits

    data = featurize(tiny_documents)
    # Gradient boosting on a few dozen rows is instant on one thread but can
    # take many seconds when OpenMP threads compete with a busy machine.
    with threadpool_limits(limits=1, user_api="openmp"):
        fitted = fit_detector(data, seed=0, n_splits=3, metadata={"purpose": "tests"})
    path = save_model(fitted, tmp_path_factory.mktemp("tiny_model") / "tiny.skops")
    return TinyModel(path=path, model=load_model(path), fitted=fitted)


@pytest.fixture(scope="session")
def tiny_model(tiny: TinyModel):
    """The loaded tiny DetectorModel."""
    return tiny.model


@pytest.fixture(scope="session")
def tiny_model_path(tiny: TinyModel) -> Path:
    """Path of the saved tiny model (one .skops file of format 5, its metadata inside)."""
    return tiny.path


@pytest.fixture(scope="session")
def default_model_file(repo_root: Path) -> Path:
    """The shipped default model; tests using it fail (never skip) when it is absent."""
    path = repo_root / "detector" / "models" / "default.skops"
    assert path.is_file(), f"default model missing: {path}"
    return path


CliRunner = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(scope="session")
def run_cli(repo_root: Path) -> CliRunner:
    """Run ``python -m detector ARGS`` in a fresh interpreter from the repo root."""
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    env["PYTHONIOENCODING"] = "utf-8"

    def run(*args: str, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
        return subprocess.run(
            [sys.executable, "-m", "detector", *map(str, args)],
            cwd=repo_root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            env=env,
            **stdin,
        )

    return run


@pytest.fixture(scope="session")
def tiny_pairs_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model's synthetic documents as JSON Lines pairs, one per line."""
    import json

    path = tmp_path_factory.mktemp("pairs") / "pairs.jsonl"
    lines = []
    for number, paragraphs in enumerate(CLEAN_DOCUMENTS):
        mangled = [mangle(p, number + k) for k, p in enumerate(paragraphs)]
        lines.append(json.dumps({"clean": "\n\n".join(paragraphs),
                                 "mangled": "\n\n".join(mangled), "group": f"doc{number}"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory):
    """One ``detector serve`` (the shipped model, default limits) for every
    test of the service that does not stop it: a process on a free port."""
    from servers import start_server

    server = start_server(tmp_path_factory.mktemp("serve") / "stderr.log")
    yield server
    assert server.stop() == 0, server.stderr()


@dataclass(frozen=True)
class MainRun:
    """What :func:`run_main` saw: the exit code and the bytes written to
    standard output and standard error (``str`` with ``text=True``)."""

    returncode: int
    stdout: bytes | str
    stderr: bytes | str


def run_main(*args: str | os.PathLike, stdin: object = None, stdout: object = None,
             text: bool = False) -> MainRun:
    """``detector ARGS`` in this interpreter: ``detector.cli.run.main`` with
    standard input, output and error on real files, as a subprocess has them
    (so output goes through the same file-descriptor writer), argparse's
    ``SystemExit`` taken as the exit code, and the model cache emptied first
    so that every run loads its ``--model`` file afresh.

    ``stdin`` is None (an empty input, as ``/dev/null``), ``bytes``, or an open
    binary file; it is put on file descriptor 0, which the detector checks
    against ``-o``. ``stdout`` is None (a file read back afterwards) or an
    open binary file or a file descriptor to write to instead (``/dev/full``,
    a dead terminal), when ``stdout`` comes back empty. An exception that a
    process would end with in a traceback propagates and fails the test.

    What only a process shows stays with the subprocess tests: exit by
    signal, a closed pipe, worker processes, what the interpreter itself does
    with its standard streams at exit, and warnings, which pytest collects here.
    """
    import io
    import tempfile

    from detector.cli.run import main
    from detector.score.batch import load_scorer

    load_scorer.cache_clear()
    saved = sys.stdin, sys.stdout, sys.stderr
    saved_fd0 = os.dup(0)
    with tempfile.TemporaryDirectory(prefix="run_main") as tmp:
        out_path, err_path = Path(tmp, "stdout"), Path(tmp, "stderr")
        if stdin is None:
            in_fd = os.open(os.devnull, os.O_RDONLY)
        elif isinstance(stdin, bytes):
            Path(tmp, "stdin").write_bytes(stdin)
            in_fd = os.open(Path(tmp, "stdin"), os.O_RDONLY)
        else:
            in_fd = os.dup(stdin.fileno())  # type: ignore[attr-defined]
        if stdout is None:
            out_file = open(out_path, "w", encoding="utf-8")
        else:
            fd = stdout if isinstance(stdout, int) else stdout.fileno()  # type: ignore[attr-defined]
            out_file = io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8")
        err_file = open(err_path, "w", encoding="utf-8", errors="backslashreplace")
        os.dup2(in_fd, 0)
        os.close(in_fd)
        in_file = open(0, "r", encoding="utf-8", closefd=False)
        try:
            sys.stdin, sys.stdout, sys.stderr = in_file, out_file, err_file
            try:
                code = main([os.fspath(a) for a in args])
            except SystemExit as exc:  # argparse: a usage error (2) or --version (0)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            for stream in (out_file, err_file):
                try:
                    stream.flush()
                except OSError:
                    pass  # the stream under test fails (/dev/full): the detector said so
        finally:
            in_file.close()
            sys.stdin, sys.stdout, sys.stderr = saved
            os.dup2(saved_fd0, 0)
            os.close(saved_fd0)
            for stream in (out_file, err_file):
                try:
                    stream.close()
                except OSError:
                    pass
        data = out_path.read_bytes() if stdout is None else b""
        errors = err_path.read_bytes()
    if text:
        return MainRun(code, data.decode("utf-8"), errors.decode("utf-8"))
    return MainRun(code, data, errors)


def run_on_terminal(*args: str, stream: str = "stdout", env: dict[str, str] | None = None) -> str:
    """Run ``python -m detector ARGS`` from the repo root with its standard
    output (or ``stream="stderr"``) on a pseudo-terminal; return what the
    terminal received. The other stream is discarded."""
    import pty

    leader, follower = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    proc = subprocess.Popen([sys.executable, "-m", "detector", *args], cwd=REPO_ROOT,
                            stdin=subprocess.DEVNULL, env=env, **streams)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")
