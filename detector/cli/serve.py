"""``detector serve``: the HTTP API and the check-this-text page
(:mod:`detector.service`, imported only when the command runs)."""

from __future__ import annotations

import argparse
import os

from detector.cli.common import EXIT_CLEAN, EXIT_ERROR, print_error

__all__ = ["EXIT_CODES_SERVE", "add_serve_parser", "cmd_serve"]


EXIT_CODES_SERVE = ("exit codes: 0 stopped by SIGTERM or Ctrl-C (after the requests in\n"
                    "  progress were answered), 2 an error (bad arguments, an unusable model or\n"
                    "  reference, an address that cannot be listened on, the serve extra missing)")


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value!r}")
    return int(value)


def _workers(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return number


def add_serve_parser(sub: argparse._SubParsersAction) -> None:
    """The ``serve`` subcommand's arguments."""
    from detector.service.config import MAX_BATCH, MAX_REQUEST_BYTES, MAX_TEXT_CHARS, TIMEOUT

    serve = sub.add_parser(
        "serve", help="serve the detector over HTTP: a JSON API and a check-this-text page",
        description="Serve the detector over HTTP (pip install 'detector[serve]'):\n"
                    "  POST /v1/score        {\"text\", \"reference\"?, \"threshold\"?}: as "
                    "flag --format json\n"
                    f"  POST /v1/score/batch  {{\"documents\": [{{\"text\", \"id\"?}}, ...]}}, "
                    f"at most {MAX_BATCH}\n"
                    "  GET /v1/reasons, GET /v1/model, GET /healthz\n"
                    "  GET /                 a page to paste a text into (and its original)\n"
                    f"Limits: a body of {MAX_REQUEST_BYTES} bytes, a text of {MAX_TEXT_CHARS} "
                    "characters (413 beyond).",
        epilog=EXIT_CODES_SERVE + ".")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (0.0.0.0: every interface)")
    serve.add_argument("--port", type=_port, default=8080, help="the port to listen on")
    serve.add_argument("--model",
                       help="a model file made by `detector train` (default: the shipped model)")
    serve.add_argument("--reference", action="append", default=[], metavar="FILE|DIR",
                       help="suspected originals every request is compared with, unless it "
                            "sends its own reference (repeatable)")
    serve.add_argument("--workers", type=_workers, default=1, metavar="N",
                       help="worker processes, each loading the model once and scoring one "
                            "request at a time (one per core)")
    serve.add_argument("--timeout", type=_seconds, default=TIMEOUT, metavar="SECONDS",
                       help="the time limit of a request, waiting included (503 past it)")


def cmd_serve(args: argparse.Namespace) -> int:
    """Check the model, references and address, then serve until stopped."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        print_error("detector serve needs Starlette and uvicorn: pip install 'detector[serve]'")
        return EXIT_ERROR
    from detector.errors import ModelError
    from detector.io.lifecycle import Terminated
    from detector.score.batch import load_scorer
    from detector.service.config import ServiceConfig
    from detector.service.server import check_address, serve

    references = tuple(args.reference)
    # Loaded here once, so that a bad model or reference is one clear error
    # before any worker starts (a worker in this process keeps it).
    model, _ = load_scorer(args.model, references)
    if references and model.reference is None:
        raise ModelError(f"{args.model}: this model has no reference stage; "
                         "use the default model with --reference")
    check_address(args.host, args.port)
    config = ServiceConfig(model=args.model, references=references, timeout=args.timeout,
                           supervisor=os.getpid() if args.workers > 1 else None)
    try:
        serve(config, args.host, args.port, args.workers)
    except (KeyboardInterrupt, Terminated):
        pass  # uvicorn shut down cleanly, then passed the signal on
    return EXIT_CLEAN
