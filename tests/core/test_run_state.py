"""The lab's run states: what each accepts, with no window in sight."""

import pytest

from autograd_playground.core.training.run_state import (
    PAUSE,
    RESUME,
    RunState,
    pause_command,
    step_needs_new_run,
)


def test_the_states_are_the_words_the_training_thread_sends():
    words = ["idle", "running", "paused", "halted", "finished", "stopped"]
    assert [state.value for state in RunState] == words
    assert [RunState(word) for word in words] == list(RunState)
    assert RunState.RUNNING == "running"  # a signal's str compares equal


@pytest.mark.parametrize(
    ("state", "changes", "held", "alive"),
    [
        (RunState.IDLE, False, False, False),
        (RunState.RUNNING, True, False, True),
        (RunState.PAUSED, True, True, True),
        (RunState.HALTED, True, True, True),
        (RunState.FINISHED, False, False, True),
        (RunState.STOPPED, False, False, False),
    ],
)
def test_what_a_run_in_each_state_accepts(state, changes, held, alive):
    assert state.takes_changes is changes
    assert state.waits_for_resume is held
    assert state.holds_a_run is alive


@pytest.mark.parametrize(
    ("state", "command"),
    [
        (RunState.IDLE, None),
        (RunState.RUNNING, PAUSE),
        (RunState.PAUSED, RESUME),
        (RunState.HALTED, RESUME),
        (RunState.FINISHED, None),
        (RunState.STOPPED, None),
    ],
)
def test_the_pause_button_pauses_a_running_run_and_resumes_a_held_one(state, command):
    assert pause_command(state) == command


def test_a_step_starts_a_new_run_only_where_no_run_has_steps_left():
    starts = {state for state in RunState if step_needs_new_run(state)}
    assert starts == {RunState.IDLE, RunState.FINISHED, RunState.STOPPED}
