"""Run torch on the calling thread alone while another process has the other cores."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Keep torch's ops (and MKL's) to one thread inside the block.

    While the layout engine works, a parallel op waits at its barrier for a
    helper thread that the engine has pushed off its core: a 12,000-element dot
    product took 0.7 ms instead of 5 us on two cores. Setting the count costs
    a fraction of a microsecond, and the user's own setting comes back after.
    """
    import torch  # here: the window imports this module before torch has loaded

    threads = torch.get_num_threads()
    if threads == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
