"""The lab's speed: how many training steps a second, and when the next one may run.

A seed's whole run takes well under a second at full speed, too quick for a class
to see anything form; the lab paces its steps so that it can be watched, as GAN
Lab's slow-motion slider does. Nothing here looks at a clock of its own: the loop
that steps passes its clock's time in, so the pacing is tested with made-up times.
"""

from __future__ import annotations

import math
import sys

AUTO = "auto"  # the run lasts about AUTO_RUN_S seconds, whatever its length
MAX = "max"  # as fast as the machine goes: no pacing at all
# What the lab's speed list offers, slowest to fastest: steps a second, or AUTO or MAX.
SPEEDS: tuple[str | int, ...] = (AUTO, 1, 2, 5, 10, 30, 100, 1000, MAX)
DEFAULT_SPEED: str | int = AUTO
# Long enough to see the loss fall and the fit take shape while the teacher talks
# over it, short enough that a class does not wait for the end.
AUTO_RUN_S = 8.0
# Auto eases in: a fit changes most in its first steps, which are spread out, and
# the pace quickens as the run goes on. Step k of n is due at
# AUTO_RUN_S * ln(1 + k/c) / ln(1 + n/c), with c = n / AUTO_EASE: the first tenth of
# the steps takes about a third of the run, and the whole run still AUTO_RUN_S.
AUTO_EASE = 20.0
# At this rate or slower, each step gets its own report and its own frame: the
# plots redraw about this often at full speed anyway.
PER_STEP_MAX_RATE = 30.0
# A loop that fell behind (a slow step, a busy machine) catches up by at most this
# much time's worth of steps, rather than rushing through everything it missed.
MAX_LAG_S = 0.1


def is_speed(value: object) -> bool:
    """Return whether ``value`` is one of the speeds the lab offers."""
    return not isinstance(value, bool) and value in SPEEDS


def target_rate(speed: str | int, total_steps: int, step: int = 0) -> float | None:
    """Return the steps a second ``speed`` asks for at ``step`` of a run of ``total_steps``;
    None for MAX."""
    if speed == MAX:
        return None
    if speed == AUTO:
        return auto_rate(total_steps, step)
    return float(speed)


def auto_rate(total_steps: int, step: int) -> float:
    """Auto's steps a second at ``step``: the pace that eases in (see AUTO_EASE), never
    slower than a step a second."""
    steps = max(total_steps, 1)
    ease = max(1.0, steps / AUTO_EASE)
    return max(1.0, math.log1p(steps / ease) / AUTO_RUN_S * (ease + min(max(step, 0), steps)))


class StepPacer:
    """Spaces steps ``1 / rate`` seconds apart; a rate of None lets every step run at once.

    The loop asks ``due(now)`` how many steps may run, takes them, says so with
    ``took(steps, now)``, and otherwise waits ``wait_s(now)`` seconds (for a
    command, say, which may come first). Times are any monotonic clock's, in seconds.
    """

    def __init__(self, rate: float | None = None) -> None:
        self.rate = rate
        self._next: float | None = None  # when the next step is due; None: at once
        self._last: float | None = None  # when steps were last taken

    @property
    def limited(self) -> bool:
        """Whether steps are paced at all (False: as fast as possible)."""
        return self.rate is not None

    @property
    def reports_every_step(self) -> bool:
        """Whether the rate is slow enough for every step to be shown on its own."""
        return self.rate is not None and self.rate <= PER_STEP_MAX_RATE

    def set_rate(self, rate: float | None) -> None:
        """Pace at ``rate`` from now on: the next step comes one new interval after the last."""
        self.rate = rate
        if rate is None or self._last is None:
            self._next = None
        else:
            self._next = self._last + 1 / rate

    def restart(self) -> None:
        """Stepping begins again (a resume): its first step is due at once."""
        self._next = None
        self._last = None

    def due(self, now: float) -> int:
        """Return how many steps may run at ``now``: without pacing, any number."""
        if self.rate is None:
            return sys.maxsize
        if self._next is None:
            return 1
        behind = now - self._next
        if behind < 0:
            return 0
        return min(int(behind * self.rate) + 1, self._most_at_once())

    def wait_s(self, now: float) -> float:
        """Return the seconds until the next step is due: 0 when one is due now."""
        if self.rate is None or self._next is None:
            return 0.0
        return max(0.0, self._next - now)

    def took(self, steps: int, now: float) -> None:
        """Note that ``steps`` steps were taken, found due at ``now``: the next is due
        after them, counted from when these were due, so the time a step takes does
        not slow the beat."""
        if self.rate is None or steps <= 0:
            return
        scheduled = now if self._next is None else max(self._next, now - MAX_LAG_S)
        self._next = scheduled + steps / self.rate
        self._last = now

    def _most_at_once(self) -> int:
        return max(1, int(self.rate * MAX_LAG_S))
