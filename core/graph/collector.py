"""Hold Python's cyclic garbage collector off while a graph is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, if it was on, and restore it after.

    Walking a graph of tens of thousands of ops makes objects that all outlive
    the walk, and each allocation-triggered collection traverses every one of
    them again: a collection then finds nothing and costs as much as the walk.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
