"""``[tool.detector]`` in ``pyproject.toml``: defaults for ``detector flag``.

The file is looked for in the working directory and each folder above it;
the first ``pyproject.toml`` that has a ``[tool.detector]`` table is used, as
ruff finds ``[tool.ruff]``. Keys are the long option names of ``detector
flag`` without the dashes (``threshold = 0.8``, ``exclude = ["drafts"]``,
``exit-zero = true``); options given on the command line win, and list
options (``exclude``, ``reference``, ``select``, ``ignore``) add to the file's. Relative paths in the
file are relative to the file's folder. ``--isolated`` ignores the file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from detector.errors import DataError

__all__ = ["CONFIG_FILE", "KEYS", "find_config", "flag_defaults"]


CONFIG_FILE = "pyproject.toml"


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _string(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string")
    return value


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a list of non-empty strings")
    return list(value)


def _probability(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return float(value)


def _jobs(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number, at least 1")
    return value


def _one_of(*choices: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)
    return check


# Each key: the option's destination and how its value is checked. Paths are
# marked so that they can be resolved against the file's folder.
KEYS: dict[str, tuple[str, Callable[[object], Any]]] = {
    "threshold": ("threshold", _probability),
    "model": ("model", _string),
    "reference": ("reference", _strings),
    "format": ("format", _one_of("text", "json", "jsonl", "sarif", "html")),
    "all": ("all", _boolean),
    "exclude": ("exclude", _strings),
    "select": ("select", _strings),
    "ignore": ("ignore", _strings),
    "input-format": ("input_format", _one_of("text", "md", "html", "jsonl")),
    "jobs": ("jobs", _jobs),
    "exit-zero": ("exit_zero", _boolean),
    "quiet": ("quiet", _boolean),
    "show-source": ("show_source", _boolean),
    "color": ("color", _one_of("auto", "always", "never")),
    "text-field": ("text_field", _string),
    "id-field": ("id_field", _string),
}
_PATH_KEYS = ("model", "reference")


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not valid TOML ({exc})") from None


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``pyproject.toml`` at or above ``start`` with a
    ``[tool.detector]`` table, and that table; None when there is none."""
    for folder in (start, *start.parents):
        path = folder / CONFIG_FILE
        if not path.is_file():
            continue
        table = _load_toml(path).get("tool", {}).get("detector")
        if table is None:
            continue
        if not isinstance(table, dict):
            raise DataError(f"{path}: [tool.detector] must be a table")
        return path, table
    return None


def flag_defaults(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """The table's keys checked and turned into ``detector flag`` defaults
    (option destination -> value); a :class:`DataError` naming the key otherwise."""
    from detector.cli.argparser import suggestions

    defaults: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = suggestions(key.replace("_", "-"), list(KEYS))
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"
            raise DataError(f"{path}: [tool.detector]: unknown key {key!r}{hint}")
        dest, check = KEYS[key]
        try:
            checked = check(value)
        except ValueError as exc:
            raise DataError(f"{path}: [tool.detector]: {key} {exc}, not {value!r}") from None
        if key in _PATH_KEYS:
            checked = ([str(path.parent / p) for p in checked] if isinstance(checked, list)
                       else str(path.parent / checked))
        defaults[dest] = checked
    return defaults
