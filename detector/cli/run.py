"""The ``detector`` command: parse the arguments, run the command, turn
errors into exit codes.

Exit codes follow linters: 0 nothing flagged, 1 something flagged, 2 an error
(bad arguments, an unreadable file, an unusable model). When one of several
files cannot be read, the others are still scored and the exit code is 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from detector.cli.common import EXIT_BROKEN_PIPE, EXIT_ERROR, print_error
from detector.cli.evaluate import cmd_evaluate
from detector.cli.explain import cmd_explain
from detector.cli.flag import cmd_flag
from detector.cli.match import cmd_match
from detector.cli.model_info import cmd_model
from detector.cli.parser import build_parser
from detector.cli.serve import cmd_serve
from detector.cli.train import cmd_train


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from detector.errors import DataError, ModelError, ReferenceError
    from detector.io.lifecycle import Terminated, exit_code, terminate_as_exception

    args = build_parser().parse_args(argv)
    if args.command == "flag" and not args.isolated:
        try:
            args = _with_config(args, argv)
        except DataError as exc:
            print_error(str(exc))
            return EXIT_ERROR
    handlers = {"flag": cmd_flag, "match": cmd_match, "evaluate": cmd_evaluate,
                "train": cmd_train, "explain": cmd_explain, "model": cmd_model,
                "serve": cmd_serve}
    try:
        with terminate_as_exception():
            return handlers[args.command](args)
    except (ModelError, DataError, ReferenceError) as exc:
        print_error(str(exc))
        return EXIT_ERROR
    except (KeyboardInterrupt, Terminated) as exc:
        print_error("terminated" if isinstance(exc, Terminated) else "interrupted")
        return exit_code(exc)
    except BrokenPipeError:
        return EXIT_BROKEN_PIPE


def _with_config(args: argparse.Namespace, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments parsed again over the defaults of the nearest
    ``[tool.detector]``; ``args`` as they are when there is none."""
    from pathlib import Path

    from detector.cli.config import find_config, flag_defaults

    found = find_config(Path.cwd())
    return build_parser(flag_defaults(*found)).parse_args(argv) if found else args


if __name__ == "__main__":
    sys.exit(main())
