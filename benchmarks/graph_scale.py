"""Big graphs in the window: code to a legible view, opening a box, stalls, against torchviz.

Three cases: a 30,001-op elementwise chain (no module), a 48-block GPT-style
transformer with loss.backward() (about 2,100 ops) and an RNNCell over 500 steps.
Each runs in a fresh main window, offscreen, with the app's default options
(big graphs may fold their module calls into boxes).

open_s: from pressing Run (the Run action, as the toolbar button triggers it, with
the code in the editor) to the first legible view. That view is reached when the
window has reported the run (run_completed), every item of the new layout is in
the graph view's scene (is_scene_complete), and the viewport has painted that
scene at the zoom and place the view opened it at: the paint the scene's changes
cause, or one forced if none came, and, where the view paints from a cached
picture (zoomed far out on thousands of items), that picture is whole. The zoom
it opened at is printed: legible means what the window chose to show, painted.
If the graph could not be shown (an error in its place) open_s is null and the
error is printed.

expand_s: from a double-click's signal on a folded box (GraphView.module_activated
with its call id, which the graph pane turns into an expand) until the window
has redrawn (graph_redrawn) and the new scene is built and painted as above. The
box is a repeat box ("× 48", found by its label or a "repeat" attribute) if
there is one, else the first box in the order the forward pass ran. A graph with
no box reports null and why.

max_stall_ms: the longest gap between two ticks of a 5 ms GUI-thread timer, from
Run to the end of the expand (a short idle between them included).

baseline_s: the same code, torchviz's make_dot(out, params), dot -Tsvg with the
app's own engine (graphviz-pure) and the SVG painted in a QSvgWidget of the
viewport's size showing what the app's view showed (svg_baseline.py), timed in a
process of its own (benchmarks/torchviz_svg.py) after its imports. Killed after
120 s: "baseline timed out", counted as 120 s. ratio = open_s / baseline_s.
A bare ``import torch`` in a fresh process is timed in the same run.

Prints one JSON object on the last line. Targets: worst_open_ratio_vs_torchviz_svg
(over cases of >= 2,000 ops; --quick: all cases; null when one of them did not
open, which failed_to_open names) <= 0.5, worst_expand_share
(expand_s / open_s) <= 0.3, max_stall_ms <= 50, chain_open_over_torch_import <= 1.0.
--quick runs a 1,501-op chain, 12 blocks and 150 steps; --repeats N runs each case
N times (each in a fresh window) and prints the median times and the worst stall.
Figures are wall-clock: on a shared machine, repeat.
Needs the bench extra, for torchviz: pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_cases import ScaleCase, chain, gpt, rnn
from graph_window import (
    StallWatch,
    idle,
    open_window,
    paint_new_scene,
    settle_before_run,
    shown_region,
    wait_for,
)
from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent
# name: (case maker, full size, --quick size)
CASES = {
    "chain": (chain, 20_000, 1_000),
    "gpt": (gpt, 48, 12),
    "rnn": (rnn, 500, 150),
}
BASELINE_LIMIT_S = 120.0
OPEN_LIMIT_S = 900.0
PAUSE_BEFORE_EXPAND_MS = 200  # a user finding the box; the heartbeat keeps running
BIG_OPS = 2_000
TARGETS = {
    "worst_open_ratio_vs_torchviz_svg": 0.5,
    "worst_expand_share": 0.3,
    "max_stall_ms": 50,
    "chain_open_over_torch_import": 1.0,
}


def torch_import_s(runs: int = 3) -> float:
    """Median seconds of a bare ``import torch`` in a fresh process, after one to warm the disk."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True, timeout=300)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def open_graph(app: QApplication, window, code: str, watch: StallWatch) -> dict:
    """Press Run on ``code``; seconds to its first legible view, and what that view shows.

    ``watch`` starts as Run is pressed."""
    view = window.graph_view
    done: list[object] = []
    window.run_completed.connect(done.append)
    window.editor.setPlainText(code)
    settle_before_run()
    watch.start()
    started = time.perf_counter()
    window.run_action.trigger()
    wait_for(
        app,
        lambda: done and view.is_scene_complete(),
        [window.run_completed, view.scene_ready],
        OPEN_LIMIT_S,
    )
    paint_new_scene(app, view)
    elapsed = time.perf_counter() - started
    window.run_completed.disconnect(done.append)
    outcome = done[0]
    assert outcome.result.error is None, outcome.result.error.text
    return {
        "open_s": None if outcome.graph_error else elapsed,
        "open_error": outcome.graph_error,
        "ops": outcome.graph.op_count(),
        "nodes_drawn": len(view.node_items),
        "module_calls": len(outcome.module_groups),
        "boxes_drawn": sum(item.node.kind == "module" for item in view.node_items.values()),
        # Nothing to match when no graph is shown: the baseline then paints its whole SVG.
        "region": shown_region(view) if view.node_items else None,
        "viewport": view.viewport().size().toTuple(),
    }


def is_repeat_box(node) -> bool:
    """A box standing for a module call repeated in a row ("Block × 48")."""
    return "×" in node.label or any("repeat" in key for key in node.attributes)


def box_to_open(view):
    """The box to double-click: a repeat box if any, else the first box the forward pass
    ran into; None when no box is drawn."""
    boxes = [item.node for item in view.node_items.values() if item.node.kind == "module"]
    boxes = [node for node in boxes if node.name]
    if not boxes:
        return None
    return min(
        boxes,
        key=lambda node: (not is_repeat_box(node), node.seq is None, node.seq or 0),
    )


def expand_box(app: QApplication, window) -> dict:
    """Open one folded box as a double-click does; seconds until the new scene is painted.

    The new scene is there once the window has redrawn the graph, or, should a box
    open in the view without a redraw, once the view has built a new scene.
    """
    view = window.graph_view
    node = box_to_open(view)
    if node is None:
        return {"expand_s": None, "expand_note": "no folded box in the view: nothing to open"}
    what = f"{node.label.splitlines()[0]!r} ({node.name}, {node.attributes.get('ops', '?')} ops)"
    news: list[object] = []

    def built() -> None:
        news.append(None)

    window.graph_redrawn.connect(news.append)
    view.scene_ready.connect(built)
    started = time.perf_counter()
    view.module_activated.emit(node.name)
    try:
        wait_for(
            app,
            lambda: news and view.is_scene_complete(),
            [window.graph_redrawn, view.scene_ready],
            OPEN_LIMIT_S,
        )
    except TimeoutError:
        return {"expand_s": None, "expand_note": f"{what}: no new scene in {OPEN_LIMIT_S:.0f} s"}
    finally:
        window.graph_redrawn.disconnect(news.append)
        view.scene_ready.disconnect(built)
    paint_new_scene(app, view)
    elapsed = time.perf_counter() - started
    # A RunOutcome, if the window redrew
    error = next((news_item.graph_error for news_item in news if news_item is not None), None)
    return {
        "expand_s": None if error else elapsed,
        "expand_note": f"opened {what}" + (f"; failed: {error}" if error else ""),
        "nodes_drawn_expanded": len(view.node_items),
    }


def run_baseline(case: ScaleCase, region: dict | None, viewport: tuple) -> dict | None:
    """torchviz's SVG of ``case``, painted as ``region`` shows (None: whole) in a widget of
    ``viewport``'s size; None when it ran out of time."""
    job = {
        "code": case.code,
        "root": case.root,
        "model_name": case.model_name,
        "region": region,
        "viewport": viewport,
    }
    process = subprocess.Popen(
        [sys.executable, str(HERE / "torchviz_svg.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        # A group of its own, so that a kill also stops the dot engine it started.
        start_new_session=True,
    )
    process.stdin.write(json.dumps(job) + "\n")
    process.stdin.flush()
    assert process.stdout.readline().strip() == "ready", "the baseline failed to start"
    try:
        out, _ = process.communicate(timeout=BASELINE_LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None
    assert process.returncode == 0, "the baseline failed"
    return json.loads(out.strip().splitlines()[-1])


def measure_case(app: QApplication, case: ScaleCase) -> dict:
    """Open, expand and the baseline for one case, in a fresh window."""
    window = open_window(app)
    watch = StallWatch()
    opened = open_graph(app, window, case.code, watch)
    idle(PAUSE_BEFORE_EXPAND_MS)
    if opened["open_s"] is None:
        expanded = {"expand_s": None, "expand_note": "the graph did not open"}
    elif not opened["boxes_drawn"]:
        calls = opened["module_calls"]
        note = f"none of its {calls} module calls is drawn as a box" if calls else ""
        expanded = {
            "expand_s": None,
            "expand_note": note or "no module call in the code: nothing folds into a box",
        }
    else:
        expanded = expand_box(app, window)
    stall = watch.stop()
    window.close()
    window.deleteLater()
    app.processEvents()
    region, viewport = opened.pop("region"), opened.pop("viewport")
    baseline = run_baseline(case, region, viewport)
    base_s = BASELINE_LIMIT_S if baseline is None else baseline["total_s"]
    open_s, expand_s = opened["open_s"], expanded.get("expand_s")
    return {
        **opened,
        "open_s": _rounded(open_s),
        **expanded,
        "expand_s": _rounded(expand_s),
        "expand_share": _rounded(expand_s / open_s if open_s and expand_s else None),
        "max_stall_ms": round(stall, 1),
        "baseline_s": "baseline timed out" if baseline is None else round(base_s, 3),
        "baseline_parts_s": None
        if baseline is None
        else {key: round(value, 3) for key, value in baseline.items() if key.endswith("_s")},
        "ratio": _rounded(open_s / base_s if open_s is not None else None),
        "painted": {
            "ours": None
            if region is None
            else {
                "zoom": round(region["zoom"], 4),
                "share_of_graph": region["share_of_graph"],
                "viewport": region["viewport"],
            },
            "baseline": None if baseline is None else baseline["painted"],
        },
    }


def median_run(runs: list[dict]) -> dict:
    """One figure set from repeated runs of a case: the median times, the worst stall,
    every run's times beside them, and the rest (baseline_parts_s, painted) from the
    run of median open_s."""
    if len(runs) == 1:
        return runs[0]
    by_open = sorted(runs, key=lambda run: math.inf if run["open_s"] is None else run["open_s"])
    chosen = dict(by_open[len(runs) // 2])
    bases = [
        BASELINE_LIMIT_S if isinstance(run["baseline_s"], str) else run["baseline_s"]
        for run in runs
    ]
    base_s = statistics.median(bases)
    timed_out = base_s >= BASELINE_LIMIT_S
    open_s, expand_s = (
        _median_or_none([run[key] for run in runs]) for key in ("open_s", "expand_s")
    )
    chosen.update(
        {
            "open_s": _rounded(open_s),
            "expand_s": _rounded(expand_s),
            "expand_share": _rounded(expand_s / open_s if open_s and expand_s else None),
            "baseline_s": "baseline timed out" if timed_out else round(base_s, 3),
            "ratio": _rounded(open_s / base_s if open_s is not None else None),
            "max_stall_ms": max(run["max_stall_ms"] for run in runs),
            "runs": {
                key: [run[key] for run in runs] for key in ("open_s", "expand_s", "baseline_s")
            },
        }
    )
    return chosen


def _median_or_none(values: list[float | None]) -> float | None:
    """The median, or None when any run has none (a case that did not open is not a time)."""
    return None if None in values else statistics.median(values)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def summary(report: dict, torch_s: float, quick: bool) -> dict:
    counted = [name for name, case in report.items() if quick or case["ops"] >= BIG_OPS]
    ratios = [report[name]["ratio"] for name in counted]
    shares = [case["expand_share"] for case in report.values() if case["expand_share"]]
    chain_open = report["chain"]["open_s"] if "chain" in report else None
    return {
        "version": 1,
        "quick": quick,
        "worst_open_ratio_vs_torchviz_svg": None if None in ratios else max(ratios, default=None),
        "worst_expand_share": max(shares, default=None),
        "max_stall_ms": max(case["max_stall_ms"] for case in report.values()),
        "chain_open_over_torch_import": _rounded(
            chain_open / torch_s if chain_open is not None else None
        ),
        "torch_import_s": round(torch_s, 3),
        "ratio_cases": counted,
        "failed_to_open": [name for name, case in report.items() if case["open_s"] is None],
        "targets": TARGETS,
        "cases": report,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", choices=sorted(CASES), nargs="*", help="run only these cases")
    parser.add_argument(
        "--repeats", type=int, default=1, help="runs of each case; medians are printed"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    torch_s = torch_import_s()
    print(f"bare import torch: {torch_s:.2f} s", flush=True)
    report: dict[str, dict] = {}
    for name, (make, full, small) in CASES.items():
        if args.only and name not in args.only:
            continue
        case = make(small if args.quick else full)
        report[name] = median_run([measure_case(app, case) for _ in range(args.repeats)])
        print(f"{name}: {json.dumps(report[name])}", flush=True)
    print(json.dumps(summary(report, torch_s, args.quick)))


if __name__ == "__main__":
    main()
