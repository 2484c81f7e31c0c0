"""The output pane numbers the student's runs: Run 1 first, and Reset is not a run."""

import re

from tests.gui.conftest import run_in


def run_headers(window) -> list[str]:
    return re.findall(r"── (Run \d+) ·", window.output.toPlainText())


def test_the_first_run_is_run_1_and_reset_takes_no_number(window, qtbot):
    run_in(window, qtbot, "a = 1\n")
    with qtbot.waitSignal(window.reset_completed, timeout=10_000):
        window.reset_namespace()
    assert "Namespace reset" in window.output.toPlainText()
    run_in(window, qtbot, "b = 2\n")
    assert run_headers(window) == ["Run 1", "Run 2"]
