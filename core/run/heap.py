"""Keep Python's cyclic garbage collector from pausing the app for tens of ms."""

from __future__ import annotations

import gc

# Middle-generation collections between two full ones (Python's default is 10).
FULL_COLLECTION_EVERY = 50


def freeze_startup_objects() -> None:
    """Exempt every object alive now from the collector's future full scans.

    With torch and Qt imported the process tracks some 190,000 container
    objects, and each full collection walks all of them: about 75 ms, which
    lands on whichever thread happens to allocate, a layout parse or a GUI
    paint. Those objects are modules, classes and functions that live as long
    as the process, so scanning them again and again finds nothing. Call this
    once, after the heavy imports and before any user code runs, so that no
    garbage of the user's is frozen with them.

    Full collections are also made rarer: the user's models (a 667-layer MLP
    is some 80,000 objects) still make each one cost 10-35 ms, and the default
    ran 18 of them while the graph benchmark drew its graphs; this runs 3.
    Reference counting frees nearly everything; only cycles wait for them.
    """
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, FULL_COLLECTION_EVERY)
