"""Where a training run stands, as the lab's buttons and commands read it.

The training thread announces each state; the lab only reads them. What a run
in a state accepts (a new learning rate, Pause or Resume, Step) is said here once,
so the buttons and the commands they send agree.
"""

from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    """A run's state. Its value is the word the training thread's signal carries."""

    IDLE = "idle"  # no run yet, since the lab was built
    RUNNING = "running"
    PAUSED = "paused"  # by Pause, after a Step or an Epoch, or out of device memory
    HALTED = "halted"  # the loss stopped being finite; Resume or Step goes on
    FINISHED = "finished"  # every step taken; the loop still holds the run
    STOPPED = "stopped"  # by Stop, or by an error in the learner's code

    @property
    def takes_changes(self) -> bool:
        """Whether the run under way takes new settings (rate, optimizer, speed,
        device) and a Stop: its loop waits on commands and has steps left."""
        return self in (RunState.RUNNING, RunState.PAUSED, RunState.HALTED)

    @property
    def waits_for_resume(self) -> bool:
        """Whether the run is held, so that the pause button resumes it."""
        return self in (RunState.PAUSED, RunState.HALTED)

    @property
    def holds_a_run(self) -> bool:
        """Whether a run's loop is still alive, to be stopped before a new one starts."""
        return self.takes_changes or self is RunState.FINISHED


PAUSE = "pause"
RESUME = "resume"


def pause_command(state: RunState) -> str | None:
    """The command the pause button sends in ``state``: pause a run, resume a held
    one; None where there is no run to pause or resume."""
    if state is RunState.RUNNING:
        return PAUSE
    if state.waits_for_resume:
        return RESUME
    return None


def step_needs_new_run(state: RunState) -> bool:
    """Whether Step (or Epoch) in ``state`` first starts a new, paused run: there is
    no run with steps left to take one from."""
    return not state.takes_changes
