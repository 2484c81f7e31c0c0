"""What recording the forward order costs: a run with it against the same run without.

Recording is on in the app: each statement counts the runs of its line, and
extraction numbers the ops (``seq``) and reads their output shapes and the
shapes of what they saved, for the forward stepper's pane. It can be
switched off only for this comparison (``LineTable.record_order``). Each case
(every lesson, a 2,000-op model, a Python loop of 2,000 ops: the worst case,
one counted statement per op) is run and its graph extracted, alternately with
recording on and off, in one process; the median ratio is reported.
Target: ratio <= 1.1 for every case. Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_cases import add_repeat_options, mlp

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.run.heap import freeze_startup_objects

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.1
LOOP_2000 = (
    "x = torch.ones(4, requires_grad=True)\ny = x\nfor i in range(2000):\n    y = y * 1.0001\n"
)


def cases() -> dict[str, str]:
    lessons = sorted(ROOT.glob("assets/lessons/*.py"))
    found = {path.stem: path.read_text(encoding="utf-8") for path in lessons}
    found["mlp_2000_ops"] = mlp(667)[0]
    found["python_loop_2000_ops"] = LOOP_2000
    return found


def timed_run(evaluator: Evaluator, code: str) -> tuple[float, int]:
    """Seconds to run ``code`` and extract its graph (values and all), and its op count."""
    started = time.perf_counter()
    result = evaluator.run(code)
    graph = extract_graph(
        evaluator.user_names(),
        line_table=evaluator.line_table,
        module_calls=evaluator.module_calls,
    )
    seconds = time.perf_counter() - started
    assert result.error is None, result.error.text
    return seconds, len(graph.ops())


def measure(code: str, repeats: int, seconds: float) -> dict[str, float]:
    evaluators = {True: Evaluator(), False: Evaluator()}
    for recording, evaluator in evaluators.items():
        evaluator.ensure_ready()
        evaluator.line_table.record_order = recording
        timed_run(evaluator, code)  # warm: first-call costs belong to neither side
    times: dict[bool, list[float]] = {True: [], False: []}
    ops = 0
    began = time.perf_counter()
    while len(times[True]) < repeats or time.perf_counter() - began < seconds:
        for recording in (False, True) if len(times[True]) % 2 else (True, False):
            elapsed, ops = timed_run(evaluators[recording], code)
            times[recording].append(elapsed)
    with_order, without = statistics.median(times[True]), statistics.median(times[False])
    return {
        "ops": ops,
        "with_recording_ms": round(with_order * 1000, 3),
        "without_recording_ms": round(without * 1000, 3),
        "ratio": round(with_order / without, 3),
        "runs_each": len(times[True]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_repeat_options(parser, repeats=15, seconds=1.0)
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    args = parser.parse_args()
    freeze_startup_objects()
    results = {}
    for name, code in cases().items():
        if args.case and name not in args.case:
            continue
        results[name] = measure(code, args.repeats, args.seconds)
        print(name, results[name], file=sys.stderr)
    worst = max(results.values(), key=lambda item: item["ratio"])
    print(
        json.dumps(
            {
                "benchmark": "forward_order",
                "target_ratio": TARGET,
                "worst_ratio": worst["ratio"],
                "meets_target": all(item["ratio"] <= TARGET for item in results.values()),
                "cases": results,
            }
        )
    )


if __name__ == "__main__":
    main()
