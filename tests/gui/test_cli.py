"""The command line: a script opened, run and photographed without a screen."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_of_a_run_script(tmp_path):
    script = tmp_path / "first.py"
    script.write_text("x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n")
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            str(script),
            "--run",
            "--select",
            "x",
            "--screenshot",
            str(out),
            "--size",
            "1000x700",
        ],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"Saved {out}" in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    # The selected leaf is drawn in the legend's blue somewhere in the graph pane.
    blue = {image.pixelColor(x, y).name() for x in range(0, 1000, 3) for y in range(0, 700, 3)}
    assert "#add8e6" in blue
    assert "#d3d3d3" in blue  # the gray op nodes


def test_help_describes_the_options():
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    for option in ("--run", "--screenshot", "--select", "export"):
        assert option in done.stdout


def test_unreadable_script_is_reported_and_the_window_still_opens(tmp_path):
    script = tmp_path / "binary.py"
    script.write_bytes(b"\xff\xfe\x00garbage")
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(script), "--screenshot", str(out)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
