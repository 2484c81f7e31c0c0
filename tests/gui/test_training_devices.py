"""The lab's device switch, through the training thread as the window drives it.

Runs anywhere: the ``meta`` device (placement without data) stands in for a GPU,
and a copy made to fail stands in for one that runs out of memory. The CUDA tests
run where a GPU is.
"""

import queue

import numpy as np
import pytest
import torch

from autograd_playground.core.run import devices
from autograd_playground.core.training.catalog import TrainingConfig, default_config
from autograd_playground.core.training.metrics import MetricsBatch
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.gui.training.panel import TrainingPanel
from autograd_playground.gui.training.worker import TrainingRequest, TrainingThread, TrainingWorker
from autograd_playground.gui.ui_text import apply_ui_language
from tests.core.tensor_places import left_behind, reachable_tensors
from tests.core.test_training_devices import fail_after

USER_CODE = """
import torch
from torch import nn

class WeightedMSE(nn.Module):
    def __init__(self, rows):
        super().__init__()
        self.register_buffer("weights", torch.linspace(0.5, 1.5, rows).reshape(-1, 1))

    def forward(self, prediction, target):
        return (self.weights[: len(prediction)] * (prediction - target) ** 2).mean()

X = torch.linspace(-1, 1, 40).reshape(-1, 1)
y = 2 * X + 1
model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
loss_fn = WeightedMSE(40)
"""


@pytest.fixture
def thread(qtbot):
    training = TrainingThread()
    yield training
    assert training.shutdown()


@pytest.fixture
def meta_allowed(monkeypatch):
    """The lab takes ``meta`` as a device, as it takes a GPU's."""
    real_check = devices.check_device
    monkeypatch.setattr(
        devices,
        "check_device",
        lambda device, language="en": None if device == "meta" else real_check(device, language),
    )


@pytest.fixture
def inventory(monkeypatch):
    """Reports on meta say which of the trainer's tensors are not there (meta tensors
    have no values to report): the list of those lists, one per report."""
    real_collect = Trainer.collect
    found: list[list[str]] = []

    def collect(self):
        if self.device != "meta":
            return real_collect(self)
        assert len(list(reachable_tensors(self))) > 6  # the walk finds the run's tensors
        found.append(left_behind(self, "meta"))
        self._pending_losses.clear()
        self._pending_steps.clear()
        self._epoch_losses.clear()
        self._trace.drop_after(-1)
        return MetricsBatch(
            steps=np.zeros(0, dtype=np.int64),
            losses=np.zeros(0),
            step=self.step_index,
            total_steps=self.total_steps,
            device=self.device,
        )

    monkeypatch.setattr(Trainer, "collect", collect)
    return found


def long_run(task: str) -> TrainingConfig:
    if task == "user":
        config = TrainingConfig(task="user", lr=0.05, batch_size=10, optimizer="adam")
    else:
        config = default_config(task)
        config.optimizer = "adam"
    config.length = 100_000  # still training when the switch comes
    return config


@pytest.mark.usefixtures("meta_allowed")
@pytest.mark.parametrize("task", ["linreg_concise", "linreg_scratch", "user"])
def test_a_switch_while_training_takes_every_tensor_along(qtbot, thread, inventory, task):
    code = USER_CODE if task == "user" else None
    failures: list[str] = []
    thread.worker.failed.connect(failures.append)
    thread.start(TrainingRequest(config=long_run(task), user_code=code, run=1))
    qtbot.waitUntil(lambda: not thread.worker.outbox.empty(), timeout=30_000)
    thread.send("device", "meta")
    # It trains on there, unless a step fails on a tensor left behind.
    qtbot.waitUntil(lambda: len(inventory) >= 3 or bool(failures), timeout=30_000)
    thread.send("stop")
    assert failures == []
    assert inventory[:3] == [[], [], []]
    reports = thread.worker.drain()
    assert reports[-1].device == "meta"
    assert reports[-1].step > reports[0].step


@pytest.mark.usefixtures("meta_allowed")
def test_a_switch_that_fails_half_way_leaves_the_run_where_it_was_and_says_so(qtbot, monkeypatch):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("quadratic"))
    panel.length_spin.setValue(100_000)
    reports: list[MetricsBatch] = []
    panel.metrics_shown.connect(reports.append)
    panel.start()
    qtbot.waitUntil(lambda: len(reports) > 0, timeout=30_000)
    made = fail_after(monkeypatch, 2)
    panel.set_device("meta")
    qtbot.waitUntil(lambda: "Could not move" in panel.message.text(), timeout=30_000)
    monkeypatch.undo()
    assert made == [1, 1]  # part-way: two tensors were copied
    assert panel.message.text().startswith(
        "Could not move training to meta: CUDA out of memory. Tried to allocate 20.00 MiB\n"
        "Everything stayed on cpu"
    )
    assert panel.state == "running"  # it trains on, on the CPU
    step_then = reports[-1].step
    qtbot.waitUntil(lambda: reports[-1].step > step_then + 100, timeout=30_000)
    assert {report.device for report in reports} == {"cpu"}
    panel.stop()
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=30_000)
    assert " · cpu · loss " in panel.progress.text()
    assert panel.shutdown()


NUMPY_NOTICE = {
    "en": "NumPy trains on the CPU: this task stays there on any device. "
    "meta trains the torch tasks.",
    "zh": "NumPy 在 CPU 上训练：无论选哪个设备，这个任务都留在 CPU 上。meta 用于训练 torch 任务。",
}


@pytest.mark.usefixtures("meta_allowed")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_numpys_task_says_it_trains_on_the_cpu(qtbot, language):
    apply_ui_language(language)
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("two_layer_numpy"))
    panel.device = "meta"
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "finished", timeout=60_000)
    assert panel.message.text() == NUMPY_NOTICE[language]
    assert " · cpu · " in panel.progress.text()
    panel.message.clear()
    panel.start(paused=True)  # and a switch says so too
    qtbot.waitUntil(lambda: panel.state == "paused", timeout=60_000)
    panel.message.clear()
    panel.set_device("meta")
    qtbot.waitUntil(lambda: panel.message.text() == NUMPY_NOTICE[language], timeout=30_000)
    assert panel.shutdown()


def test_every_clock_read_after_steps_waits_for_the_device(qtbot, monkeypatch):
    """On a GPU a step returns once queued: the time read after steps must be read
    after a sync, for the step rate and for the chunk's size alike."""
    events: list[str] = []
    real_run, real_step = Trainer.run, Trainer.step
    monkeypatch.setattr(Trainer, "synchronize", lambda self: events.append("sync"))
    monkeypatch.setattr(
        Trainer, "run", lambda self, *a, **k: events.append("steps") or real_run(self, *a, **k)
    )
    monkeypatch.setattr(
        Trainer, "step", lambda self, *a, **k: events.append("steps") or real_step(self, *a, **k)
    )
    import autograd_playground.gui.training.worker as worker_module

    real_monotonic = worker_module.time.monotonic

    class Clock:
        @staticmethod
        def monotonic():
            events.append("clock")
            return real_monotonic()

    monkeypatch.setattr(worker_module, "time", Clock)
    worker = TrainingWorker()
    worker.requests = queue.Queue()
    worker.requests.put(TrainingRequest(config=default_config("linreg_scratch"), run=1))
    worker.state_changed.connect(
        lambda state: state == "finished" and worker.commands.put((1, "stop", None))
    )
    worker.train()
    assert events.count("steps") > 10
    last_steps = None
    for index, event in enumerate(events):
        if event == "steps":
            last_steps = index
        elif event == "clock" and last_steps is not None:
            assert "sync" in events[last_steps:index], f"a clock read at {index} without a sync"
            last_steps = None


def test_cuda_is_warmed_up_with_the_thread_where_there_is_one(qtbot, monkeypatch):
    warmed = []
    monkeypatch.setattr(devices, "warm_up_device", warmed.append)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    worker = TrainingWorker()
    worker.warm_up()
    assert warmed == ["cuda:0"]
    worker._warm("cuda:0")  # once is enough
    worker._warm("cuda:1")
    assert warmed == ["cuda:0", "cuda:1"]


# -- on a GPU --------------------------------------------------------------------------
@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("task", ["linreg_concise", "quadratic", "two_layer_autograd", "user"])
def test_cuda_a_switch_while_training_learns_as_the_cpu_does(qtbot, thread, task):
    def losses(switch: bool) -> np.ndarray:
        config = long_run(task)
        config.length = 3 if task.startswith("linreg") else 2000
        if task == "user":
            config.length = 50
        run = 2 if switch else 1
        code = USER_CODE if task == "user" else None
        with qtbot.waitSignal(
            thread.worker.state_changed, check_params_cb=lambda s: s == "finished", timeout=60_000
        ):
            request = TrainingRequest(config=config, user_code=code, run=run, start_paused=switch)
            thread.start(request)
            if switch:  # a few steps on the CPU, then on with the GPU
                for _ in range(5):
                    thread.send("step")
                thread.send("device", "cuda:0")
                thread.send("resume")
        thread.send("stop")
        reports = thread.worker.drain(run)
        assert reports[-1].device == ("cuda:0" if switch else "cpu")
        return np.concatenate([report.losses for report in reports])

    on_cpu, switched = losses(False), losses(True)
    assert len(switched) == len(on_cpu)
    np.testing.assert_allclose(switched, on_cpu, rtol=1e-3, atol=1e-6)
