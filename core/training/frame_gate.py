"""The training thread stands aside while the window draws a frame of the lab.

Both threads run Python, so they share the GIL. While a frame is drawn, each of
the GUI's hundreds of calls into Qt lets the GIL go and takes it back, and each
torch op of the training thread does the same: the GIL changes hands hundreds of
times a frame, and each handover (a wake-up on another core) costs both threads
time. The training thread waits instead, once, until the frame is done: it loses
the frame's time, which it would have lost to those handovers, and the frame is
drawn sooner.
"""

from __future__ import annotations

import threading

# However a frame goes (an error half-way, a stuck paint), the training goes on after this.
LONGEST_WAIT_S = 1.0


class FrameGate:
    """Frames numbered as they begin (on the GUI thread); the training thread waits for
    one to end. A frame that ended before the wait begins costs the wait nothing."""

    def __init__(self) -> None:
        self._begun = 0
        self._ended = 0
        self._changed = threading.Condition()
        self.waiting_for: int | None = None  # the frame the training thread waits for

    @property
    def drawing(self) -> bool:
        """Whether a frame has begun and not ended."""
        return self._ended < self._begun

    def begin(self) -> int:
        """A frame begins: its number, to hand the training thread."""
        self._begun += 1
        return self._begun

    def end(self, frame: int) -> None:
        """Frame ``frame`` (and any before it) is drawn: a thread waiting for it goes on."""
        with self._changed:
            self._ended = max(self._ended, frame)
            self._changed.notify_all()

    def wait(self, frame: int, timeout_s: float = LONGEST_WAIT_S) -> bool:
        """Wait until frame ``frame`` has ended, at most ``timeout_s``; False on timeout."""
        with self._changed:
            self.waiting_for = frame
            try:
                return self._changed.wait_for(lambda: self._ended >= frame, timeout_s)
            finally:
                self.waiting_for = None
