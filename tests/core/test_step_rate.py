"""The lab's training speed: steps over time spent stepping, recent, pauses left out."""

import pytest

from autograd_playground.core.training.step_rate import MIN_MEASURED_S, StepRate


def test_rate_is_steps_over_seconds_between_notes():
    rate = StepRate()
    rate.restart(0, 10.0)
    assert rate.note(100, 10.1) == pytest.approx(1000.0)
    assert rate.note(400, 10.2) == pytest.approx(2000.0)  # 400 steps in 0.2 s


def test_time_spent_paused_is_left_out():
    rate = StepRate()
    rate.restart(0, 0.0)
    rate.note(100, 0.1)
    # Paused for five seconds, then stepping again from step 100.
    rate.restart(100, 5.1)
    assert rate.note(200, 5.2) == pytest.approx(1000.0)


def test_only_about_the_last_window_counts():
    rate = StepRate(window_s=1.0)
    rate.restart(0, 0.0)
    step = 0
    for tick in range(1, 21):  # two seconds at 1,000 steps a second
        step += 100
        rate.note(step, tick * 0.1)
    for tick in range(21, 41):  # then two seconds at 4,000 (another device, say)
        step += 400
        value = rate.note(step, tick * 0.1)
    assert value == pytest.approx(4000.0)


def test_no_rate_until_enough_stepping_is_measured():
    rate = StepRate()
    assert rate.value is None
    rate.restart(0, 0.0)
    assert rate.note(1, MIN_MEASURED_S / 10) is None  # one step of a tenth of a millisecond
    assert rate.note(500, MIN_MEASURED_S * 2) == pytest.approx(500 / (MIN_MEASURED_S * 2))


def test_training_sent_back_starts_the_measure_afresh():
    rate = StepRate()
    rate.restart(0, 0.0)
    rate.note(300, 0.3)
    assert rate.note(100, 0.4) is None  # a halt rewound to step 100
    assert rate.note(300, 0.5) == pytest.approx(2000.0)
