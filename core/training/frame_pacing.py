"""When the lab draws its next frame of plots, so that the GUI thread leaves the
training thread its time.

While training, the GUI thread's CPU (paints, reports, labels: all of it) takes at
most GUI_CPU_SHARE of the time; each of its milliseconds holds the GIL that the
training thread needs at every torch call. benchmarks/training.py measures what a
frame costs and the frame rate this share leaves. Nothing here reads a clock of its
own choosing: the clocks are passed in, so the pacing is tested with made-up times.
"""

from __future__ import annotations

import time
from collections.abc import Callable

REDRAW_MS = 33
# However busy: five frames a second are due, so that any one second holds four
# (a frame comes a little after it is due).
MAX_REDRAW_MS = 200
GUI_CPU_SHARE = 0.03


class FramePacer:
    """Spaces the lab's frames: about thirty a second, fewer when a frame costs the
    GUI thread more, and one for each step of a run paced to be watched step by step."""

    def __init__(
        self,
        cpu_clock: Callable[[], float] = time.thread_time,
        wall_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cpu_clock, self._wall_clock = cpu_clock, wall_clock
        self._cpu_at_frame = cpu_clock()
        # Frames are drawn when there is something new, and no sooner than this
        # (the wall clock's time): an idle lab wakes no thread.
        self._frame_due = 0.0

    def restart(self) -> None:
        """Let the next frame come at once, its cost counted from now: what the GUI
        did before a run (building the window, the last run) says nothing of what
        training costs it."""
        self._cpu_at_frame = self._cpu_clock()
        self._frame_due = 0.0

    def wait_s(self) -> float:
        """Seconds until the next frame may be drawn: 0 when it may be drawn now."""
        return max(0.0, self._frame_due - self._wall_clock())

    def frame_drawn(self, step_interval_s: float | None) -> float:
        """Note that a frame was just drawn; return the seconds until the next.

        The next frame comes once the GUI thread's CPU time since the last one,
        whatever it went to, is at most GUI_CPU_SHARE of the wait. ``step_interval_s``
        is the time between steps of a run paced for the class to see every step
        (None otherwise): each step then gets its own frame.
        """
        cpu = self._cpu_clock()
        spent_ms, self._cpu_at_frame = (cpu - self._cpu_at_frame) * 1000, cpu
        interval_ms = min(MAX_REDRAW_MS, max(REDRAW_MS, spent_ms / GUI_CPU_SHARE))
        if step_interval_s is not None:
            # The training thread waits most of the time, so the window's share
            # matters little; half a step's time keeps frames from falling behind.
            interval_ms = min(interval_ms, step_interval_s * 500)
        self._frame_due = self._wall_clock() + interval_ms / 1000
        return interval_ms / 1000
