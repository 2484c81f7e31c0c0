"""Engine tasks: work on the user's tensors runs on the engine thread, results come back."""

from __future__ import annotations

import threading

from tests.gui.conftest import run_in


def test_task_sees_the_namespace_and_runs_off_the_gui_thread(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()")
    results = []

    def task(playground):
        names = playground.evaluator.user_names()
        return threading.current_thread() is threading.main_thread(), names["y"].item()

    token = window.engine.submit(task, lambda result, error: results.append((result, error)))
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert token > 0
    assert results == [((False, 6.0), None)]


def test_task_error_is_reported_not_raised(window, qtbot):
    results = []

    def task(playground):
        return playground.evaluator.user_names()["missing"]

    window.engine.submit(task, lambda result, error: results.append((result, error)))
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == [(None, "KeyError: 'missing'")]
