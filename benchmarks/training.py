"""The lab's training speed against each seed's own bare loop, and GUI latency meanwhile.

For every seed task, in one run and on the same device: the seed's loop as the
seed writes it (no GUI), then the lab's worker on its QThread with live plots
(offscreen) at its "Max" speed, timed over the same number of steps. A timer on the GUI thread
notes how late its ticks come while the lab trains. Each task also gets the
lab's Trainer stepped alone (trainer_alone_ratio), which splits the gap into the
trainer's own cost and what the thread and the live window add. Prints one JSON
object on its last line. Targets: worst_throughput_ratio >= 0.95, p99_event_latency_ms <= 50.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from autograd_playground.core.run.seeding import seed_everything
from autograd_playground.core.training.catalog import default_config
from autograd_playground.core.training.pacing import MAX
from autograd_playground.core.training.tasks import TASKS
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.gui.training.panel import TrainingPanel

TICK_MS = 10
# The d2l seeds print the loss over the whole data set after each epoch, and the
# lab shows it: the bare loops compute and print it too, here, so that the
# benchmark's own output stays one JSON line.
EPOCH_LINES = io.StringIO()


def bare_linreg_scratch(steps: int) -> None:
    """d2l 3.2 as the seed writes it: data_iter, linreg, squared_loss, sgd."""
    import random

    def synthetic_data(w, b, num_examples):
        X = torch.normal(0, 1, (num_examples, len(w)))
        y = torch.matmul(X, w) + b
        y += torch.normal(0, 0.01, y.shape)
        return X, y.reshape((-1, 1))

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    features, labels = synthetic_data(torch.tensor([2, -3.4]), 4.2, 1000)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    done = epoch = 0
    while done < steps:
        for X, y in data_iter(10, features, labels):
            l = squared_loss(linreg(X, w, b), y)  # noqa: E741 - the seed's name
            l.sum().backward()
            sgd([w, b], 0.03, 10)
            done += 1
            if done == steps:
                return
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
            print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}", file=EPOCH_LINES)
        epoch += 1


def bare_linreg_concise(steps: int) -> None:
    X = torch.normal(0, 1, (1000, 2))
    y = (torch.matmul(X, torch.tensor([2, -3.4])) + 4.2).reshape(-1, 1)
    net = torch.nn.Sequential(torch.nn.Linear(2, 1))
    loss = torch.nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=0.03)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), 10, shuffle=True)
    done = epoch = 0
    while done < steps:
        for Xb, yb in loader:
            l = loss(net(Xb), yb)  # noqa: E741
            trainer.zero_grad()
            l.backward()
            trainer.step()
            done += 1
            if done == steps:
                return
        l = loss(net(X), y)  # noqa: E741
        print(f"epoch {epoch + 1}, loss {l:f}", file=EPOCH_LINES)
        epoch += 1


def bare_quadratic(steps: int) -> None:
    x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
    y = 3 * x.pow(2) + 2 + 0.2 * torch.rand(x.size())
    w = torch.rand(1, 1, requires_grad=True)
    b = torch.rand(1, 1, requires_grad=True)
    lr = 0.01
    for _ in range(steps):
        y_pred = x.pow(2).mm(w) + b
        loss = (0.5 * (y_pred - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()


def bare_two_layer_numpy(steps: int) -> None:
    x, y = np.random.randn(64, 1000), np.random.randn(64, 10)
    w1, w2 = np.random.randn(1000, 100), np.random.randn(100, 10)
    for _ in range(steps):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h = grad_y_pred.dot(w2.T)
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= 1e-6 * grad_w1
        w2 -= 1e-6 * grad_w2


def bare_two_layer_tensor(steps: int) -> None:
    x, y = torch.randn(64, 1000), torch.randn(64, 10)
    w1, w2 = torch.randn(1000, 100), torch.randn(100, 10)
    for _ in range(steps):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        (y_pred - y).pow(2).sum().item()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.T).clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= 1e-6 * grad_w1
        w2 -= 1e-6 * grad_w2


def bare_two_layer_autograd(steps: int) -> None:
    x, y = torch.randn(64, 1000), torch.randn(64, 10)
    w1 = torch.randn(1000, 100, requires_grad=True)
    w2 = torch.randn(100, 10, requires_grad=True)
    for _ in range(steps):
        loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
        loss.item()
        loss.backward()
        with torch.no_grad():
            w1 -= 1e-6 * w1.grad
            w2 -= 1e-6 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()


BARE = {
    "linreg_scratch": bare_linreg_scratch,
    "linreg_concise": bare_linreg_concise,
    "quadratic": bare_quadratic,
    "two_layer_numpy": bare_two_layer_numpy,
    "two_layer_tensor": bare_two_layer_tensor,
    "two_layer_autograd": bare_two_layer_autograd,
}


def time_bare(task: str, steps: int) -> float:
    """Steps per second of the seed's loop, its set-up cancelled out: (2n − n) / (t2n − tn)."""
    BARE[task](10)  # first calls pay one-time costs (imports, allocator warm-up)
    seconds = []
    for count in (steps, 2 * steps):
        seed_everything(0)
        started = time.perf_counter()
        BARE[task](count)
        seconds.append(time.perf_counter() - started)
    return steps / max(seconds[1] - seconds[0], 1e-9)


def time_trainer(task: str, steps: int) -> float:
    """Steps per second of the lab's Trainer alone: no GUI, no worker thread, one report.

    Not a target; it splits the lab's gap to the bare loop into the trainer's own
    cost and what the thread and the live window add. The report at the end is
    timed: it frees the steps' spent graphs, which the bare loop frees as it goes
    (about 2 us a step, 2% of the quadratic fit's).
    """
    info = TASKS[task][0]
    per_epoch = 100 if info.batch_size else 1
    seconds = []
    for count in (steps, 2 * steps):
        config = default_config(task)
        config.length = max(1, count // per_epoch)
        trainer = Trainer(config)
        started = time.perf_counter()
        trainer.run(count)  # as the worker steps it, in one run here
        trainer.collect()
        seconds.append(time.perf_counter() - started)
    return steps / max(seconds[1] - seconds[0], 1e-9)


def time_lab(panel: TrainingPanel, task: str, steps: int, lateness: list[float]) -> float:
    """Run the lab for ``steps`` steps; return steps per second, noting GUI tick lateness."""
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(task))
    info = TASKS[task][0]
    per_epoch = 100 if info.batch_size else 1  # 1000 examples in batches of 10
    panel.length_spin.setValue(max(1, steps // per_epoch))
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(TICK_MS)
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        if last[0]:
            lateness.append(max(0, now - last[0] - TICK_MS))
        last[0] = now

    loop = QEventLoop()
    reports: list[tuple[float, int]] = []

    def on_report(batch) -> None:
        reports.append((time.perf_counter(), batch.step))

    if panel.state not in ("idle", "stopped"):  # let the previous run end first
        panel.state_changed.connect(loop.quit)
        panel.stop()
        loop.exec()
        panel.state_changed.disconnect(loop.quit)

    def on_state(state: str) -> None:
        if state in ("finished", "halted"):
            loop.quit()

    ticker.timeout.connect(tick)
    panel.state_changed.connect(on_state)
    panel.metrics_shown.connect(on_report)
    clock.start()
    ticker.start()
    panel.start()
    loop.exec()
    ticker.stop()
    panel.state_changed.disconnect(on_state)
    panel.metrics_shown.disconnect(on_report)
    # From the first report to the last: the task's set-up is left out, as for the bare loop.
    (first_time, first_step), (last_time, last_step) = reports[0], reports[-1]
    return (last_step - first_step) / max(last_time - first_time, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--tasks", default=",".join(BARE), help="comma-separated, of: " + ", ".join(BARE)
    )
    args = parser.parse_args()
    tasks = args.tasks.split(",")
    unknown = sorted(set(tasks) - set(BARE))
    if unknown:
        parser.error(f"unknown task(s): {', '.join(unknown)}")
    QApplication.instance() or QApplication([])
    panel = TrainingPanel()
    # The lab's default paces a run for a class to watch: the speed measured here is
    # the lab's "Max", as fast as it can train.
    panel.speed_combo.setCurrentIndex(panel.speed_combo.findData(MAX))
    panel.resize(1200, 800)
    panel.show()
    # Showing the lab has its thread pay torch's one-time costs (about 1.5 s); the
    # first loops timed alongside came out slower or, for short runs, negative.
    deadline = time.monotonic() + 60
    while not panel.training.worker.warmed_up and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    lateness: list[float] = []
    report = {}
    for task in tasks:
        steps = args.steps
        bare, lab, trainer = [], [], []
        for _ in range(args.repeats):
            bare.append(time_bare(task, steps))
            lab.append(time_lab(panel, task, steps, lateness))
            trainer.append(time_trainer(task, steps))
        report[task] = {
            "steps": steps,
            "bare_steps_per_s": round(float(np.median(bare)), 1),
            "lab_steps_per_s": round(float(np.median(lab)), 1),
            "ratio": round(float(np.median(lab) / np.median(bare)), 3),
            "trainer_alone_ratio": round(float(np.median(trainer) / np.median(bare)), 3),
        }
        print(f"{task}: {report[task]}")
    panel.shutdown()
    summary = {
        "worst_throughput_ratio": min(entry["ratio"] for entry in report.values()),
        "p99_event_latency_ms": round(float(np.percentile(lateness, 99)), 1) if lateness else None,
        "tasks": report,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
