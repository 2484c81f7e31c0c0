"""Our own torch work beside the layout engine runs on one thread, then gives the count back;
an idle thread lets its OpenMP helpers go."""

import contextlib
import threading
from pathlib import Path

import pytest
import torch

from autograd_playground.core.run.torch_threads import (
    _gnu_openmp_pause,
    one_torch_thread,
    release_thread_pool,
)


@pytest.fixture
def two_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_one_thread_inside_and_the_users_count_after(two_threads):
    with one_torch_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2


def test_the_count_comes_back_after_an_error(two_threads):
    with pytest.raises(RuntimeError), one_torch_thread():
        raise RuntimeError("a summary failed")
    assert torch.get_num_threads() == 2


def test_a_single_thread_setting_is_left_alone():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with one_torch_thread():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def _threads_named(name: str) -> int:
    count = 0
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            count += (task / "comm").read_text().strip() == name
    return count


needs_gnu_openmp = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or _gnu_openmp_pause() is None,
    reason="counts threads through /proc; frees teams of GNU OpenMP only",
)


@needs_gnu_openmp
def test_an_idle_thread_lets_its_openmp_helpers_go_and_gets_them_back_on_its_next_op(two_threads):
    counts = {}

    def work() -> None:
        # A thread's name is inherited by the helpers it starts: they are counted by it.
        Path("/proc/thread-self/comm").write_text("team-owner")
        torch.ones(1 << 20).add_(1)  # elementwise over many elements: a parallel op
        counts["working"] = _threads_named("team-owner")
        release_thread_pool()
        counts["released"] = _threads_named("team-owner")
        torch.ones(1 << 20).add_(1)
        counts["again"] = _threads_named("team-owner")
        release_thread_pool()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert counts == {"working": 2, "released": 1, "again": 2}
