"""The lab's speed control: steps spaced at a rate, driven by a made-up clock."""

import sys

import pytest

from autograd_playground.core.training.pacing import (
    AUTO,
    AUTO_RUN_S,
    MAX,
    SPEEDS,
    StepPacer,
    is_speed,
    target_rate,
)


def run_for(pacer: StepPacer, seconds: float, tick: float = 0.001, start: float = 0.0) -> list:
    """Step as the worker does, waking every ``tick``; return the times steps ran at."""
    times = []
    now = start
    while now < start + seconds - 1e-9:
        count = pacer.due(now)
        if count:
            times.extend([now] * count)
            pacer.took(count, now)
        now += max(tick, min(pacer.wait_s(now), 1.0))
    return times


def test_one_step_a_second_runs_a_step_at_once_then_one_each_second():
    pacer = StepPacer(1.0)
    assert pacer.due(10.0) == 1
    pacer.took(1, 10.0)
    assert pacer.due(10.5) == 0
    assert pacer.wait_s(10.5) == pytest.approx(0.5)
    assert pacer.due(11.0) == 1


def test_the_rate_holds_over_time_whatever_the_wake_ups():
    for rate in (2.0, 10.0, 37.5, 1000.0):
        times = run_for(StepPacer(rate), seconds=4.0, tick=0.003)
        assert len(times) == pytest.approx(4.0 * rate, abs=2)


def test_a_late_wake_up_keeps_the_beat():
    pacer = StepPacer(10.0)
    pacer.took(1, 0.0)
    pacer.took(pacer.due(0.13), 0.13)  # woke 30 ms late for the step due at 0.1
    assert pacer.wait_s(0.13) == pytest.approx(0.07)  # the next is still due at 0.2


def test_a_loop_that_fell_far_behind_does_not_rush_to_catch_up():
    pacer = StepPacer(100.0)
    pacer.took(1, 0.0)
    caught_up = 0
    while pacer.due(5.0):  # after a step that took five seconds, say
        caught_up += pacer.due(5.0)
        pacer.took(pacer.due(5.0), 5.0)
    assert caught_up <= 11  # about a tenth of a second's worth, not 500 steps
    assert pacer.wait_s(5.0) == pytest.approx(0.01)  # then on at the rate


def test_without_a_rate_every_step_may_run_and_none_waits():
    pacer = StepPacer(None)
    assert not pacer.limited
    assert pacer.due(0.0) == sys.maxsize
    pacer.took(1000, 0.0)
    assert pacer.wait_s(0.0) == 0.0


def test_a_faster_rate_takes_effect_before_the_slow_step_was_due():
    pacer = StepPacer(1.0)
    pacer.took(1, 0.0)
    pacer.set_rate(10.0)
    assert pacer.due(0.05) == 0
    assert pacer.due(0.1) == 1  # not at 1.0, when the slow rate had it


def test_a_slower_rate_spaces_the_next_step_from_the_last():
    pacer = StepPacer(100.0)
    pacer.took(1, 0.0)
    pacer.set_rate(1.0)
    assert pacer.due(0.5) == 0
    assert pacer.wait_s(0.5) == pytest.approx(0.5)


def test_switching_to_max_and_back():
    pacer = StepPacer(1.0)
    pacer.took(1, 0.0)
    pacer.set_rate(None)
    assert pacer.due(0.01) == sys.maxsize
    pacer.set_rate(2.0)
    assert pacer.due(0.2) == 0  # half a second after the last paced step
    assert pacer.due(0.5) == 1


def test_after_a_pause_the_first_step_comes_at_once():
    pacer = StepPacer(1.0)
    pacer.took(1, 0.0)
    pacer.restart()
    assert pacer.due(0.2) == 1


def test_slow_rates_show_every_step():
    assert StepPacer(1.0).reports_every_step
    assert StepPacer(30.0).reports_every_step
    assert not StepPacer(100.0).reports_every_step
    assert not StepPacer(None).reports_every_step


def auto_seconds(total: int, first: int | None = None) -> float:
    """How long Auto takes over the first ``first`` steps (all of them by default)."""
    return sum(
        1 / target_rate(AUTO, total, step) for step in range(total if first is None else first)
    )


@pytest.mark.parametrize("total", [300, 500, 800, 3000])
def test_auto_makes_a_run_last_about_the_same_time_whatever_its_length(total):
    assert auto_seconds(total) == pytest.approx(AUTO_RUN_S, rel=0.05)
    assert 5 <= AUTO_RUN_S <= 10


@pytest.mark.parametrize("total", [300, 800])
def test_auto_spreads_out_the_first_steps_where_a_fit_changes_most(total):
    first_tenth = auto_seconds(total, total // 10)
    assert first_tenth >= AUTO_RUN_S / 4  # a tenth of the steps, a quarter of the run or more
    rates = [target_rate(AUTO, total, step) for step in range(total)]
    assert rates == sorted(rates)  # it only ever quickens
    assert rates[0] <= 30  # the first steps are each drawn on their own


def test_auto_is_never_slower_than_a_step_a_second():
    assert target_rate(AUTO, 3) == 1.0
    assert target_rate(AUTO, 3, 2) >= 1.0


def test_rates_of_the_offered_speeds():
    assert target_rate(MAX, 800) is None
    assert target_rate(5, 800) == 5.0
    assert [speed for speed in SPEEDS if isinstance(speed, int)] == [1, 2, 5, 10, 30, 100, 1000]


def test_only_offered_speeds_are_speeds():
    assert all(is_speed(speed) for speed in (AUTO, MAX, 30))
    assert not is_speed(7)
    assert not is_speed(True)  # True == 1 in Python, but no session means 1/s by it
    assert not is_speed("fast")
    assert not is_speed(None)
