"""``autograd-playground export SCRIPT.py -o OUT.(json|dot|svg|png)``: a graph, no window."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.export import SUFFIXES, write_graph
from autograd_playground.core.render.layout import LayoutError
from autograd_playground.core.render.opening import opening_drawing
from autograd_playground.core.run.evaluator import Evaluator, RunResult
from autograd_playground.core.run.heap import freeze_startup_objects

INTERRUPT_GRACE_S = 5.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-playground export",
        description="Run a script headless and write the autograd graph of its tensors.",
    )
    parser.add_argument("script", type=Path, help="the Python file to run")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help=f"where to write; the suffix picks the format ({', '.join(SUFFIXES)})",
    )
    parser.add_argument(
        "--root",
        action="append",
        metavar="NAME",
        help="a tensor variable to draw the graph of (repeatable); "
        "default: every tensor that has a grad_fn",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="stop the script after S seconds (default 60)",
    )
    parser.add_argument(
        "--direction",
        choices=["TB", "LR"],
        default="TB",
        help="top-to-bottom or left-to-right drawing (default TB)",
    )
    parser.add_argument(
        "--no-saved", action="store_true", help="leave out the tensors that ops saved for backward"
    )
    parser.add_argument(
        "--expand-all",
        action="store_true",
        help="draw every op; by default a graph of more than 600 nodes is drawn folded as "
        "the window opens it, module calls and repeats (× N) as boxes",
    )
    return parser


def run_with_timeout(
    evaluator: Evaluator, code: str, timeout: float
) -> tuple[RunResult | None, bool]:
    """Run ``code`` in a worker thread; return its result and whether it ran past ``timeout``.

    A run stopped at the timeout still has a result, saying where it was stopped,
    unless it did not stop within a grace period either.
    """
    results: list[RunResult] = []
    worker = threading.Thread(target=lambda: results.append(evaluator.run(code)), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        evaluator.interrupt()
        worker.join(INTERRUPT_GRACE_S)
        return (results[0] if results else None), True
    return (results[0] if results else None), False


def main(argv: list[str] | None = None) -> int:
    """Run the export command; return 0 on success and 1 on any failure."""
    args = build_parser().parse_args(argv)
    name = args.script.name
    if args.output.suffix.lower() not in SUFFIXES:
        return _fail(f"unknown output format {args.output.suffix!r}: use {', '.join(SUFFIXES)}")
    try:
        code = args.script.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return _fail(f"cannot read {args.script}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return _fail(f"{name} is not UTF-8 text (byte at position {exc.start})")
    if "\x00" in code:
        # Python would name no line; a stray null byte in a text file is found by its line.
        line = code.count("\n", 0, code.index("\x00")) + 1
        return _fail(
            f"{name} looks like a binary file, not Python source (null byte on line {line})"
        )

    evaluator = Evaluator()
    evaluator.ensure_ready()
    freeze_startup_objects()
    result, timed_out = run_with_timeout(evaluator, code, args.timeout)
    if timed_out or result is None:
        # Name the line it was stopped at: the loop that never ends is usually there.
        line = result.error.line if result and result.error else None
        where = f" at line {line}" if line is not None else ""
        return _fail(
            f"{name}: stopped after {args.timeout:g} s (--timeout){where}; "
            "the script did not finish"
        )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.error is not None:
        return _fail(f"{name}: {result.error.explained_headline()}")

    from autograd_playground.core.graph.extract import UnknownRootError, extract_graph

    try:
        graph = extract_graph(
            evaluator.user_names(),
            args.root,
            include_saved=not args.no_saved,
            line_table=evaluator.line_table,
            module_calls=evaluator.module_calls,
        )
    except UnknownRootError as exc:
        return _fail(f"{name}: {exc}")
    if not args.expand_all:
        graph = opening_drawing(graph, direction=args.direction)
    try:
        write_graph(graph, args.output, direction=args.direction, timeout=args.timeout)
    except (OSError, LayoutError) as exc:
        return _fail(f"cannot write {args.output}: {exc}")
    print(f"Wrote {args.output} ({_drawn(graph)})")
    return 0


def _drawn(graph: AutogradGraph) -> str:
    """Say what the file holds: its nodes, ops and edges, and what boxes fold away."""
    counts = f"{len(graph):,} nodes, {graph.op_count():,} ops, {len(graph.edges):,} edges"
    boxes = sum(node.kind == "module" for node in graph.nodes.values())
    if not boxes:
        return counts
    folded = graph.op_count() - len(graph.ops())
    return f"{counts}; {boxes:,} {'box' if boxes == 1 else 'boxes'} fold {folded:,} ops"


def _fail(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return 1


if __name__ == "__main__":
    from autograd_playground.core.run.process_guard import end_now_if_threads_linger

    sys.exit(end_now_if_threads_linger(main()))
