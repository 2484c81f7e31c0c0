"""Keep Python's cyclic garbage collector from pausing the app where a user would notice."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Middle-generation collections between two full ones (Python's default is 10).
FULL_COLLECTION_EVERY = 50


def freeze_startup_objects() -> None:
    """Exempt every object alive now from the collector's future full scans.

    With torch and Qt imported the process tracks a great many container
    objects, and each full collection walks all of them: a pause long enough to
    see, which lands on whichever thread happens to allocate, a layout parse or
    a GUI paint. Those objects are modules, classes and functions that live as long
    as the process, so scanning them again and again finds nothing. Call this
    once, after the heavy imports and before any user code runs, so that no
    garbage of the user's is frozen with them.

    Full collections are also made rarer: a user's large model is itself many
    objects, so each one that is left still pauses the app, and the default
    threshold runs them several times as often as this one while graphs are
    drawn. Reference counting frees nearly everything; only cycles wait for
    the full collections.
    """
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, FULL_COLLECTION_EVERY)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, if it was on, and restore it after.

    Walking a graph of tens of thousands of ops makes objects that all outlive
    the walk, and each collection the allocations trigger traverses all of them
    again and finds nothing: together they cost as much as the walk itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
