"""Our own torch work beside the layout engine runs on one thread, then gives the count back."""

import pytest
import torch

from autograd_playground.core.run.torch_threads import one_torch_thread


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
