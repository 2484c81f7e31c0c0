"""The lab's frame pacing, driven by made-up clocks."""

import pytest

from autograd_playground.core.training.frame_pacing import (
    GUI_CPU_SHARE,
    MAX_REDRAW_MS,
    REDRAW_MS,
    FramePacer,
)


class Clocks:
    def __init__(self) -> None:
        self.cpu = 10.0
        self.wall = 100.0

    def pacer(self) -> FramePacer:
        return FramePacer(cpu_clock=lambda: self.cpu, wall_clock=lambda: self.wall)


def test_the_first_frame_comes_at_once():
    assert Clocks().pacer().wait_s() == 0.0


def test_a_cheap_frame_is_followed_by_the_next_a_thirtieth_of_a_second_later():
    clocks = Clocks()
    pacer = clocks.pacer()
    clocks.cpu += 0.0001
    assert pacer.frame_drawn(None) == pytest.approx(REDRAW_MS / 1000)
    assert pacer.wait_s() == pytest.approx(REDRAW_MS / 1000)
    clocks.wall += 0.02
    assert pacer.wait_s() == pytest.approx(REDRAW_MS / 1000 - 0.02)
    clocks.wall += 1.0
    assert pacer.wait_s() == 0.0


def test_a_costly_frame_spaces_frames_out_to_keep_the_gui_threads_share():
    clocks = Clocks()
    pacer = clocks.pacer()
    clocks.cpu += 0.003  # 3 ms of the GUI thread's time since the last frame
    assert pacer.frame_drawn(None) == pytest.approx(0.003 / GUI_CPU_SHARE)


def test_however_costly_the_frames_at_least_four_come_a_second():
    clocks = Clocks()
    pacer = clocks.pacer()
    clocks.cpu += 1.0
    assert pacer.frame_drawn(None) == pytest.approx(MAX_REDRAW_MS / 1000)


def test_a_run_paced_step_by_step_gets_a_frame_every_half_step():
    clocks = Clocks()
    pacer = clocks.pacer()
    clocks.cpu += 0.003
    assert pacer.frame_drawn(1 / 5) == pytest.approx(0.1)
    # A slow pace leaves the cost-based spacing as it is.
    clocks.cpu += 0.003
    assert pacer.frame_drawn(1.0) == pytest.approx(0.003 / GUI_CPU_SHARE)


def test_a_restart_counts_the_cost_from_then_and_lets_a_frame_come_at_once():
    clocks = Clocks()
    pacer = clocks.pacer()
    clocks.cpu += 5.0  # building the window: not training's cost
    pacer.restart()
    assert pacer.wait_s() == 0.0
    clocks.cpu += 0.0001
    assert pacer.frame_drawn(None) == pytest.approx(REDRAW_MS / 1000)
