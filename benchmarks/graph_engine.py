"""Code to laid-out graph: our pipeline against torchviz's make_dot + dot -Tsvg.

For four graph sizes, runs the same forward code through both pipelines with the
same dot engine, cold (no layout cache; a fresh playground per run, timed from
Run until its graph is ready, with the layout engine process started ahead as the
app does), and prints one JSON object on the last line.
Targets: worst_ratio_vs_torchviz <= 1.0, max_extract_share <= 0.10.
Needs the bench extra, for torchviz: pip install -e ".[bench]".
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

import torch
from graph_cases import D2L_CONTROL_FLOW, add_repeat_options, mlp, transformer
from torchviz import make_dot

from autograd_playground.core.playground import Playground
from autograd_playground.core.render.layout import run_dot
from autograd_playground.core.run.heap import freeze_startup_objects

CASES = {
    "d2l_control_flow": D2L_CONTROL_FLOW,
    "transformer_2_layers": transformer(2),
    "transformer_6_layers": transformer(6),
    "mlp_250_layers": mlp(250),
}


def idle_before_run() -> None:
    """Pause as a user does before pressing Run, before either pipeline starts.

    In the app the spare engine starts when the previous run ends, seconds before
    the next Run, so it must not race the timed run for a core here. The pause
    leaves caches and clocks as cold for the baseline as for us.
    """
    time.sleep(0.05)


def ours(code: str) -> dict[str, float]:
    """A fresh playground, as after launch, timed from Run until the graph is ready."""
    playground = Playground()
    # Every node drawn, as torchviz draws them: no module calls folded into boxes.
    playground.options.collapsed = frozenset()
    playground.warm_up()
    idle_before_run()
    finished: list[float] = []
    playground.run_finished.connect(lambda _outcome: finished.append(time.perf_counter()))
    started = time.perf_counter()
    outcome = playground.execute(code)
    playground.close()
    assert outcome.result.error is None, outcome.result.error.text
    assert outcome.layout is not None, outcome.graph_error
    assert len(outcome.layout.nodes) == len(outcome.graph.nodes)
    total = finished[0] - started
    return {
        "total": total,
        "evaluate": outcome.result.seconds,
        "extract": outcome.extract_seconds,
        "values_and_layout": outcome.layout_seconds,
        "ops": len(outcome.graph.ops()),
        "nodes": len(outcome.graph.nodes),
    }


def torchviz_baseline(code: str, model_name: str | None) -> float:
    import numpy as np
    import torch.nn.functional as F
    from torch import nn

    namespace = {"torch": torch, "nn": nn, "F": F, "np": np}
    idle_before_run()
    started = time.perf_counter()
    exec(compile(code, "<baseline>", "exec"), namespace)
    params = dict(namespace[model_name].named_parameters()) if model_name else None
    source = make_dot(namespace["out"], params=params).source
    svg = run_dot(source, "svg")
    assert b"<svg" in svg
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_repeat_options(parser, repeats=9, seconds=2.0)
    args = parser.parse_args()
    Playground().warm_up()
    freeze_startup_objects()  # as the app does once torch is loaded
    report: dict[str, dict] = {}
    for name, (code, model_name) in CASES.items():
        ours_runs, base_runs = [], []
        repeat = 0
        while repeat < args.repeats or (sum(base_runs) < args.seconds and repeat < 401):
            # Alternate which pipeline goes first, so neither always runs on warm caches.
            if repeat % 2:
                ours_runs.append(ours(code))
                base_runs.append(torchviz_baseline(code, model_name))
            else:
                base_runs.append(torchviz_baseline(code, model_name))
                ours_runs.append(ours(code))
            repeat += 1
        totals = [run["total"] for run in ours_runs]
        ours_s = statistics.median(totals)
        extract_s = statistics.median(run["extract"] for run in ours_runs)
        base_s = statistics.median(base_runs)
        report[name] = {
            "ops": ours_runs[0]["ops"],
            "nodes": ours_runs[0]["nodes"],
            "ours_s": round(ours_s, 4),
            "torchviz_s": round(base_s, 4),
            "ratio": round(ours_s / base_s, 3),
            # Each part's median over the runs: one run's parts carry its own noise (a
            # garbage collection landing in extraction, say) into the share.
            "evaluate_s": round(statistics.median(run["evaluate"] for run in ours_runs), 4),
            "extract_s": round(extract_s, 4),
            "values_and_layout_s": round(
                statistics.median(run["values_and_layout"] for run in ours_runs), 4
            ),
            "extract_share": round(extract_s / ours_s, 3),
        }
        print(f"{name}: {report[name]}")
    summary = {
        "worst_ratio_vs_torchviz": max(entry["ratio"] for entry in report.values()),
        "max_extract_share": max(entry["extract_share"] for entry in report.values()),
        "cases": report,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
