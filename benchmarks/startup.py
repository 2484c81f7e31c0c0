"""How soon the window paints and how soon code can run, against a bare ``import torch``.

Launches the app several times offscreen with ``--startup-timing`` and prints the
medians as one JSON object on the last line. Target: first_paint_s <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def launch_once(env: dict[str, str]) -> tuple[float, float]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--startup-timing"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    return timings["first_paint"] - started, timings["ready"] - started


def torch_import_once(env: dict[str, str]) -> float:
    started = time.time()
    subprocess.run([sys.executable, "-c", "import torch"], env=env, check=True, timeout=120)
    return time.time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    torch_import_once(env)  # warm the file cache so every pass sees the same disk state
    paints, readies, imports = [], [], []
    for index in range(args.launches):
        paint, ready = launch_once(env)
        imported = torch_import_once(env)
        paints.append(paint)
        readies.append(ready)
        imports.append(imported)
        print(
            f"launch {index + 1}: first paint {paint:.2f} s, ready {ready:.2f} s, "
            f"bare import torch {imported:.2f} s"
        )
    result = {
        "first_paint_s": round(statistics.median(paints), 3),
        "ready_s": round(statistics.median(readies), 3),
        "torch_import_s": round(statistics.median(imports), 3),
        "launches": args.launches,
        "target_first_paint_s": 1.5,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
