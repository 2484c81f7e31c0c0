"""One torchviz baseline run, in a process of its own so that a slow one can be killed.

Reads a job as JSON on stdin: ``code``, ``root`` (the output variable), ``model_name``
(whose parameters label the leaves, or null), ``region`` (what the app's view showed:
graph_window.shown_region, or null for the whole drawing) and ``viewport`` (the
widget's size). Prints ``ready`` once torch, torchviz and Qt are loaded,
then times the forward code, make_dot, dot -Tsvg (the app's own engine) and painting
the SVG in a QSvgWidget as svg_baseline.show_svg does, and prints them as JSON.
Needs the bench extra, for torchviz: pip install -e ".[bench]".
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch
import torch.nn.functional as F
from graph_window import recursion_for_torchviz
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QApplication
from svg_baseline import show_svg
from torch import nn
from torchviz import make_dot

from autograd_playground.core.render.layout import run_dot

# The parent kills the run well before this: dot must not give up first.
DOT_TIMEOUT_S = 3600.0


def main() -> None:
    job = json.loads(sys.stdin.readline())
    app = QApplication.instance() or QApplication(sys.argv)
    recursion_for_torchviz()
    widget = QSvgWidget()
    widget.resize(*job["viewport"])
    widget.show()
    app.processEvents()
    namespace = {"torch": torch, "nn": nn, "F": F, "np": np}
    print("ready", flush=True)
    time.sleep(0.05)  # idle, as before a user's click
    started = time.perf_counter()
    exec(compile(job["code"], "<baseline>", "exec"), namespace)
    ran = time.perf_counter()
    model_name = job["model_name"]
    params = dict(namespace[model_name].named_parameters()) if model_name else None
    source = make_dot(namespace[job["root"]], params=params).source
    made = time.perf_counter()
    svg = run_dot(source, "svg", timeout=DOT_TIMEOUT_S)
    laid_out = time.perf_counter()
    painted = show_svg(widget, svg, job["region"])
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                "total_s": finished - started,
                "code_s": ran - started,
                "make_dot_s": made - ran,
                "dot_svg_s": laid_out - made,
                "load_and_paint_s": finished - laid_out,
                "painted": painted,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
