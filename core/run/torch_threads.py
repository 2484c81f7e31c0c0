"""Run torch on the calling thread alone while another process has the other cores."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Keep torch's ops (and MKL's) to one thread inside the block.

    While the layout engine works, a parallel op waits at its barrier for a
    helper thread that the engine has pushed off its core, so even a small dot
    product takes many times as long as on one thread. Setting the count is
    cheap next to any op, and the user's own setting comes back after.
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
