"""Training speed in steps a second, over the last second or so of stepping."""

from __future__ import annotations

from collections import deque

WINDOW_S = 1.0  # recent enough to show a device switch within a second or two
# Below this much stepping a rate is mostly the clock's and the thread's noise.
MIN_MEASURED_S = 0.05


class StepRate:
    """Steps a second over about the last WINDOW_S seconds spent stepping.

    The loop that steps notes its position at each report; time spent paused,
    or moving to another device, is left out by calling ``restart`` when
    stepping begins again. Times are any monotonic clock's, in seconds.
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._spans: deque[tuple[int, float]] = deque()  # (steps, seconds) between notes
        self._steps = 0
        self._seconds = 0.0
        self._mark: tuple[int, float] | None = None

    def restart(self, step: int, now: float) -> None:
        """Stepping begins (again) at ``step``: the time since the last note is not counted."""
        self._mark = (step, now)

    def note(self, step: int, now: float) -> float | None:
        """Note the loop at ``step`` and return the recent rate, None until one is known."""
        if self._mark is not None:
            mark_step, mark_time = self._mark
            steps, seconds = step - mark_step, now - mark_time
            if steps < 0:  # training went back (a halt rewinds): the span says nothing
                self.clear()
            elif seconds > 0:
                self._spans.append((steps, seconds))
                self._steps += steps
                self._seconds += seconds
        self._mark = (step, now)
        # The oldest spans go while the rest still cover the window.
        while len(self._spans) > 1 and self._seconds - self._spans[0][1] >= self.window_s:
            steps, seconds = self._spans.popleft()
            self._steps -= steps
            self._seconds -= seconds
        return self.value

    @property
    def value(self) -> float | None:
        if self._seconds < MIN_MEASURED_S:
            return None
        return self._steps / self._seconds

    def clear(self) -> None:
        """Forget every span (a new run, or training sent back)."""
        self._spans.clear()
        self._steps = 0
        self._seconds = 0.0
