"""The command line's argument parser type: help that shows defaults, and
"did you mean" for a mistyped command, option or choice."""

from __future__ import annotations

import argparse
import difflib
import re
from typing import NoReturn, Sequence

__all__ = ["EXIT_CODES_FLAG", "EXIT_CODES_RUN", "HelpFormatter", "Parser", "suggestions"]


EXIT_CODES_FLAG = ("exit codes: 0 nothing flagged, 1 something flagged,\n"
                   "  2 an error (bad arguments, an unreadable file, an unusable model)")
EXIT_CODES_RUN = ("exit codes: 0 done,\n"
                  "  2 an error (bad arguments, unreadable data, an unusable model)")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help with each option's default, when it has a meaningful one."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        empty = default is None or default is False or default == [] or default == ""
        if (not text or "%(default)" in text or empty or default is argparse.SUPPRESS
                or not action.option_strings):
            return text
        return f"{text} (default: %(default)s)"


def suggestions(word: str, candidates: Sequence[str]) -> list[str]:
    """The candidates close to a mistyped ``word``, closest first."""
    return difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors say what was probably meant."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", HelpFormatter)
        self.option_names: list[str] = []
        self._commands: argparse.Action | None = None
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """As argparse does; option names are remembered for suggestions."""
        action = super().add_argument(*args, **kwargs)
        self.option_names.extend(action.option_strings)
        return action

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def, override]
        """As argparse does, but unknown options are reported by the subcommand
        they were given to, with the options it has that look like them."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            owner = self._subcommand(parsed)
            options = getattr(owner, "option_names", [])
            hints = []
            for extra in extras:
                name = extra.split("=", 1)[0]
                close = suggestions(name, options)[:1] if name.startswith("-") else []
                hints.append(f"{extra} (did you mean {' or '.join(close)}?)" if close else extra)
            owner.error("unrecognized arguments: " + " ".join(hints))
        return parsed

    def add_subparsers(self, **kwargs):  # type: ignore[no-untyped-def]
        """As argparse does; the subcommands are remembered for error messages."""
        self._commands = super().add_subparsers(**kwargs)
        return self._commands

    def _subcommand(self, parsed: argparse.Namespace) -> argparse.ArgumentParser:
        """The parser of the (innermost) subcommand in ``parsed``, such as
        ``model info``'s (this parser without one)."""
        if self._commands is None:
            return self
        chosen = getattr(parsed, self._commands.dest, None)
        choices = self._commands.choices or {}
        if chosen not in choices:  # type: ignore[operator]
            return self
        inner = choices[chosen]  # type: ignore[index]
        return inner._subcommand(parsed) if isinstance(inner, Parser) else inner

    def error(self, message: str) -> NoReturn:
        """Print usage and the message (with a suggestion for an invalid
        choice) to standard error, and exit with code 2."""
        invalid = re.match(r"argument .*?invalid choice: '(.*)' \(choose from (.*)\)$", message)
        if invalid:
            choices = (re.findall(r"'([^']*)'", invalid.group(2))
                       or [c.strip() for c in invalid.group(2).split(",")])
            close = suggestions(invalid.group(1), choices)
            if close:
                message += f"; did you mean {' or '.join(repr(c) for c in close)}?"
        super().error(message)
