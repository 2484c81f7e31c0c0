"""The lab's speed control: slow enough for a class to watch each step, Max one click away."""

import re

import pytest
from PySide6.QtWidgets import QLabel

from autograd_playground.core.training.pacing import AUTO, AUTO_RUN_S, MAX
from autograd_playground.gui.training.panel import TrainingPanel
from autograd_playground.gui.ui_text import apply_ui_language

# At 1 step a second the worker waits about a second between steps: a command must
# wake it well before then, not after the wait.
PROMPTLY_MS = 800
# A first run in a process waits for torch's optimizers to load: generous, for a busy machine.
STARTED_MS = 60_000


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert widget.shutdown()


def choose(panel, task):
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(task))


def choose_speed(panel, speed):
    index = panel.speed_combo.findData(speed)
    assert index >= 0
    panel.speed_combo.setCurrentIndex(index)


def stop(qtbot, panel):
    with qtbot.waitSignal(
        panel.state_changed, timeout=PROMPTLY_MS, check_params_cb=lambda state: state == "stopped"
    ):
        panel.stop()


def shown_rates(texts):
    matches = (re.search(r"([\d,.]+) steps/s", text) for text in texts)
    return [float(match[1].replace(",", "")) for match in matches if match]


def test_at_a_slow_speed_every_step_is_reported_drawn_and_counted(qtbot, panel, monkeypatch):
    choose(panel, "quadratic")
    # Slow enough that a busy machine's GUI thread draws each step before the next.
    choose_speed(panel, 2)
    reports, drawn, texts = [], [], []
    panel.metrics_shown.connect(lambda batch: reports.append(batch.steps.tolist()))
    redraw = panel.plots.redraw

    def redraw_and_note() -> bool:
        changed = redraw()
        drawn.append(len(panel.plots.loss_curve.getData()[0]))
        return changed

    monkeypatch.setattr(panel.plots, "redraw", redraw_and_note)

    def set_text_and_note(text: str) -> None:
        texts.append(text)
        QLabel.setText(panel.progress, text)

    monkeypatch.setattr(panel.progress, "setText", set_text_and_note)
    panel.start()
    qtbot.waitUntil(lambda: len(reports) >= 6, timeout=STARTED_MS)
    qtbot.waitUntil(lambda: "step 6/800" in panel.progress.text(), timeout=5_000)
    stop(qtbot, panel)

    assert reports[:6] == [[0], [1], [2], [3], [4], [5]]  # one report a step
    assert {1, 2, 3, 4, 5, 6} <= set(drawn)  # and a frame for each
    for step in range(1, 7):
        assert any(f"step {step}/800 " in text for text in texts)
    # The progress line still gives the speed measured: paced, nowhere near Max's
    # thousands (a late wake-up may catch up a little, hence the margin).
    rates = shown_rates(texts)
    assert rates
    assert max(rates) <= 2.0 * 2
    assert panel.speed_combo.currentText() == "2 steps/s"


def test_a_faster_speed_while_running_takes_effect(qtbot, panel):
    choose(panel, "quadratic")
    choose_speed(panel, 1)
    with qtbot.waitSignal(panel.metrics_shown, timeout=STARTED_MS):
        panel.start()
    # 800 steps at a step a second would take minutes: Max ends the run at once.
    with qtbot.waitSignal(
        panel.state_changed, timeout=10_000, check_params_cb=lambda state: state == "finished"
    ):
        choose_speed(panel, MAX)
    assert "step 800/800" in panel.progress.text()


def test_a_slower_speed_while_running_shows_each_step_again(qtbot, panel):
    choose(panel, "quadratic")
    panel.length_spin.setValue(10_000_000)
    choose_speed(panel, MAX)
    reports = []
    panel.metrics_shown.connect(lambda batch: reports.append(batch.steps.tolist()))
    panel.start()
    qtbot.waitUntil(lambda: any(len(steps) > 10 for steps in reports), timeout=STARTED_MS)
    choose_speed(panel, 10)

    def paced_steps() -> bool:
        last = reports[-3:]
        return len(last) == 3 and all(len(steps) == 1 for steps in last)

    qtbot.waitUntil(paced_steps, timeout=10_000)
    (a,), (b,), (c,) = reports[-3:]
    assert [b, c] == [a + 1, a + 2]
    stop(qtbot, panel)


def test_pause_step_resume_and_stop_come_at_once_between_slow_steps(qtbot, panel):
    choose(panel, "two_layer_autograd")
    choose_speed(panel, 1)
    with qtbot.waitSignal(panel.metrics_shown, timeout=STARTED_MS):
        panel.start()
    # The worker now waits about a second for the next step; each command wakes it.
    with qtbot.waitSignal(
        panel.state_changed, timeout=PROMPTLY_MS, check_params_cb=lambda state: state == "paused"
    ):
        panel.toggle_pause()
    with qtbot.waitSignal(panel.metrics_shown, timeout=PROMPTLY_MS) as blocker:
        panel._step("step")
    assert blocker.args[0].steps.tolist() == [1]
    # After a resume the first step comes at once, then it waits a second again.
    with qtbot.waitSignal(panel.metrics_shown, timeout=PROMPTLY_MS) as blocker:
        panel.toggle_pause()
    assert blocker.args[0].steps.tolist() == [2]
    stop(qtbot, panel)
    qtbot.waitUntil(lambda: "step 3/500 " in panel.progress.text(), timeout=5_000)


def test_auto_paces_a_seed_run_over_seconds(qtbot, panel):
    choose(panel, "linreg_scratch")  # 3 epochs of 100 minibatches
    choose_speed(panel, AUTO)
    rates = []
    panel.metrics_shown.connect(
        lambda batch: batch.steps_per_s is not None and rates.append(batch.steps_per_s)
    )
    panel.start()
    qtbot.waitUntil(lambda: len(rates) >= 5, timeout=STARTED_MS)
    assert panel.state == "running"
    assert max(rates) <= 1.2 * 300 / AUTO_RUN_S  # not faster than a run of AUTO_RUN_S
    stop(qtbot, panel)


def test_the_speed_is_saved_with_the_lab_settings(panel):
    choose_speed(panel, 30)
    assert panel.training_settings()["speed"] == 30
    assert panel.apply_training_settings({"speed": AUTO}) == []
    assert panel.speed() == AUTO
    assert panel.apply_training_settings({"speed": 1000.0}) == []  # JSON may write a float
    assert panel.speed_combo.currentText() == "1,000 steps/s"
    problems = panel.apply_training_settings({"speed": 7})
    assert problems == ["the speed 7 is not one of the lab's"]
    assert panel.speed() == 1000


def test_the_speed_list_in_chinese(qtbot):
    apply_ui_language("zh")
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    names = [widget.speed_combo.itemText(i) for i in range(widget.speed_combo.count())]
    assert names[0].startswith("自动")
    assert "每秒 10 步" in names
    assert names[-1].startswith("最快")
    assert "每秒" in widget.speed_combo.toolTip()
    assert widget.shutdown()


def test_at_a_watching_speed_epoch_runs_paced_to_the_epoch_end_then_pauses(qtbot, panel):
    choose(panel, "linreg_scratch")  # 100 minibatches an epoch
    choose_speed(panel, 30)  # each step reported on its own, whatever the machine's load
    reached, states = [], []
    panel.metrics_shown.connect(lambda batch: reached.append(batch.step))
    panel.state_changed.connect(states.append)
    panel.epoch_button.click()
    # Set up paused, run on through the epoch, paused where it ends.
    qtbot.waitUntil(lambda: states == ["paused", "running", "paused"], timeout=STARTED_MS)
    assert reached[-1] == 100
    assert max(reached) == 100  # not a step past the epoch's end
    assert len({step for step in reached if 0 < step < 100}) >= 5  # the class saw it go
    qtbot.waitUntil(lambda: "epoch 1/3" in panel.progress.text(), timeout=5_000)
    stop(qtbot, panel)


def test_a_paced_run_opens_its_step_axis_on_the_first_tenth_of_the_run(qtbot, panel):
    choose(panel, "quadratic")
    panel.length_spin.setValue(3000)  # its first tenth, 300 steps, nicely rounded: 500
    choose_speed(panel, AUTO)
    early = []
    panel.frame_drawn.connect(
        lambda: (
            panel.plots._ranges[panel.plots.loss_plot].x is not None
            and early.append((panel.plots.loss_series.x[-1], panel.plots.loss_plot.viewRange()[0]))
        )
    )
    panel.start()
    qtbot.waitUntil(lambda: len(early) >= 1, timeout=STARTED_MS)
    last_step, (left, right) = early[0]
    assert last_step < 300
    assert left < 0 < 500 < right < 500 * 1.05
    stop(qtbot, panel)


def test_a_running_loop_waits_while_a_frame_is_drawn_and_goes_on_after(qtbot, panel, monkeypatch):
    # At Max the training thread would hand the GIL to and fro with the frame's
    # painting: it waits for the frame instead, and only as long as it is drawn.
    choose(panel, "quadratic")
    choose_speed(panel, MAX)
    panel.length_spin.setValue(2_000_000)
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "running", timeout=STARTED_MS)
    # The lab's own frames held off: one ending would end the wait for this one too.
    monkeypatch.setattr(panel, "_schedule_frame", lambda: None)
    panel._redraw.stop()
    gate = panel.training.worker.frames
    frame = panel.training.stand_aside()
    qtbot.waitUntil(lambda: gate.waiting_for == frame)
    qtbot.waitUntil(lambda: not panel.training.worker.outbox.qsize())
    shown = len(panel.plots.loss_series)
    assert gate.waiting_for == frame  # still waiting: no step, no report meanwhile
    panel.training.frame_drawn(frame)
    qtbot.waitUntil(lambda: len(panel.plots.loss_series) > shown)
    monkeypatch.undo()
    # The lab's own frames stand the loop aside and end, each of them.
    drawn = []
    panel.frame_drawn.connect(lambda: drawn.append(gate.drawing))
    qtbot.waitUntil(lambda: len(drawn) >= 3)
    stop(qtbot, panel)
    assert drawn[:3] == [False] * 3
    assert gate.begin() > frame + 3  # each of those frames had a number of its own
