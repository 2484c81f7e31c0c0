"""How many threads torch works on: one beside the layout engine, none left idle."""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


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


def release_thread_pool() -> None:
    """Let the calling thread's OpenMP helper threads go; its next parallel op makes new ones.

    Torch's CPU ops (and MKL's) run on an OpenMP team per calling thread, and an
    idle team's threads stay, waiting. The window has two threads that run torch,
    the engine (the editor's code) and the lab's training thread: once both hold a
    team, GNU OpenMP has more threads than the machine has cores, stops spinning
    between parallel ops, and each op waits for a helper to be woken, which made
    the lab's small models several times slower on a small machine. A thread calls
    this as it goes idle, so that only a working thread holds a team.

    GNU OpenMP (Linux) frees the calling thread's team alone; where torch uses
    another OpenMP runtime, whose pause would reach every thread's team, this does
    nothing.
    """
    pause = _gnu_openmp_pause()
    if pause is not None:
        pause(_OMP_PAUSE_SOFT)


_OMP_PAUSE_SOFT = 1


def _gnu_openmp_pause() -> Callable[[int], int] | None:
    """``omp_pause_resource_all`` of the GNU OpenMP that torch loaded, or None
    (torch not loaded yet: no team to free; or another OpenMP runtime)."""
    torch = sys.modules.get("torch")
    return None if torch is None else _pause_in(Path(torch.__file__).parent)


@functools.cache
def _pause_in(package: Path) -> Callable[[int], int] | None:
    # The library's own folder, or the one a repaired wheel renames its copy into.
    for library in (*package.glob("lib/libgomp*.so*"), *package.parent.glob("torch.libs/libgomp*")):
        try:
            pause = ctypes.CDLL(str(library)).omp_pause_resource_all
        except (OSError, AttributeError):
            continue
        pause.argtypes, pause.restype = [ctypes.c_int], ctypes.c_int
        return pause
    return None
