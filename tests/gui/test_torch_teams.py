"""The editor's engine and the lab's training thread let their torch helper threads go
when idle: while both held a team of them, the lab trained several times slower."""

from pathlib import Path

import pytest
import torch

from autograd_playground.core.run.torch_threads import _gnu_openmp_pause
from autograd_playground.core.training.catalog import TrainingConfig
from autograd_playground.gui.training.worker import TrainingRequest, TrainingThread
from tests.core.test_torch_threads import _threads_named

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or _gnu_openmp_pause() is None,
    reason="counts threads through /proc; frees teams of GNU OpenMP only",
)


@pytest.fixture(autouse=True)
def _two_torch_threads():
    """Two torch threads, set here first: setting the count also sizes torch's other
    pool, whose threads, made by a thread counted below, would be counted with it."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_the_engine_lets_its_helpers_go_after_each_request(window, qtbot):
    counts = []

    def task(_playground):
        # Helpers take the name of the thread that starts them: the engine runs other
        # threads of its own, so this op's team is counted under a name of its own.
        torch.set_num_threads(2)  # the engine's own count, whatever the machine's
        comm = Path("/proc/thread-self/comm")
        comm.write_text("team-owner")
        try:
            torch.ones(1 << 20).add_(1)  # elementwise over many elements: a parallel op
            return _threads_named("team-owner")
        finally:
            comm.write_text("engine")

    window.engine.submit(task, lambda result, error: counts.append((result, error)))
    qtbot.waitUntil(lambda: bool(counts), timeout=30_000)
    assert counts == [(2, None)]  # the engine and its helper, while it worked
    qtbot.waitUntil(lambda: _threads_named("team-owner") == 0, timeout=5_000)


# The learner's own model: its forward pass is a parallel op over 2**18 rows.
USER_MODEL = """
import torch
X = torch.linspace(-1, 1, 1 << 18).reshape(-1, 1)
y = 2 * X
w = torch.zeros(1, requires_grad=True)
params = [w]
def model(X):
    return X * w
"""


def test_the_training_thread_lets_its_helpers_go_when_a_run_ends(qtbot):
    training = TrainingThread()
    config = TrainingConfig(task="user", lr=0.05, batch_size=0, optimizer="sgd")
    config.length = 100_000
    during = []
    training.worker.metrics_ready.connect(
        lambda: during.append(_threads_named("training")) if not during else None
    )
    try:
        training.start(TrainingRequest(config=config, user_code=USER_MODEL, run=1))
        qtbot.waitUntil(lambda: bool(during), timeout=30_000)
        training.send("stop")
        qtbot.waitUntil(lambda: _threads_named("training") == 1, timeout=5_000)
    finally:
        assert training.shutdown()
    assert during == [2]  # the training thread and its helper, while it trained
