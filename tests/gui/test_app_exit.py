"""Quitting the window ends the process, whatever threads the user's code left running."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_thread_that_never_ends_does_not_keep_the_app_alive(tmp_path):
    script = tmp_path / "threaded.py"
    script.write_text(
        "import threading, time\n"
        "forever = threading.Thread(target=lambda: time.sleep(10**6), daemon=False)\n"
        "forever.start()\n"
        "x = torch.ones(2, requires_grad=True)\n"
    )
    out = tmp_path / "shot.png"
    # --screenshot quits the window once the run is drawn. The timeout is the bound at
    # which a process that does not end fails the test, not a speed goal.
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(script), "--run", "--screenshot", str(out)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"Saved {out}" in done.stdout
    assert out.stat().st_size > 0
