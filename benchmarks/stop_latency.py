"""How soon Stop ends code that never ends, for each way a loop can run.

Runs each endless loop on an Evaluator, interrupts it a moment after it starts, as
the toolbar's Stop does, and times the interval from the interrupt to the run's end.
The loops side by side: one in the user's own statements (stopped at the next
statement), one in a library's frame and one in a comprehension (both stopped by the
fallback asynchronous exception). Prints the median and worst of each as one JSON
object on the last line. Target: every worst_s <= 1.0, library and comprehension
included.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd_playground.core.run.evaluator import Evaluator

LOOPS = {
    "user_statements": "n = 0\nwhile True:\n    n += 1\n",
    "library_frame": "exec(compile('while True:\\n    pass\\n', 'library.py', 'exec'))\n",
    "comprehension": "xs = [0 for _ in iter(int, 1)]\n",
}
# How long the loop runs before Stop: long enough to be well inside it.
RUN_BEFORE_STOP_S = 0.2


def stop_once(evaluator: Evaluator, code: str) -> float:
    """Run ``code``, interrupt it once it has run a while, and return how long it took
    to end after the interrupt."""
    sent: list[float] = []

    def stop() -> None:
        while not evaluator.is_running:
            time.sleep(0.001)
        time.sleep(RUN_BEFORE_STOP_S)
        sent.append(time.perf_counter())
        evaluator.interrupt()

    threading.Thread(target=stop, daemon=True).start()
    result = evaluator.run(code)
    ended = time.perf_counter()
    if result.error is None or not result.error.interrupted:
        raise SystemExit(f"the loop was not interrupted: {result.error}")
    return ended - sent[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    evaluator = Evaluator()
    evaluator.run("1 + 1")  # torch and the line table are ready before the first timing
    summary: dict[str, float] = {}
    for name, code in LOOPS.items():
        times = [stop_once(evaluator, code) for _ in range(args.repeats)]
        summary[f"{name}_median_s"] = round(statistics.median(times), 4)
        summary[f"{name}_worst_s"] = round(max(times), 4)
        print(f"{name}: median {statistics.median(times):.4f} s, worst {max(times):.4f} s")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
