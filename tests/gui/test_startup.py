"""The window paints before torch has loaded: torch loads on the engine thread."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BUILD_AND_SHOW = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from autograd_playground.core.playground import Playground
from autograd_playground.gui.main_window import MainWindow
window = MainWindow(Playground())
window.show()
app.processEvents()
print("torch" in sys.modules)
window.close()
"""


def test_building_and_showing_the_window_loads_no_torch():
    # Each call into Python while torch's import holds the GIL waits for it: a window
    # that loaded torch itself, or painted while the engine thread loaded it, would stay
    # blank for the whole import.
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_SHOW],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr
