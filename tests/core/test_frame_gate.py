"""The training thread's wait for a frame of the lab being drawn."""

import threading

from autograd_playground.core.training.frame_gate import FrameGate


def test_a_wait_ends_with_its_frame_and_costs_nothing_for_a_frame_already_drawn():
    gate = FrameGate()
    first = gate.begin()
    assert gate.drawing
    gate.end(first)
    assert not gate.drawing
    assert gate.wait(first, timeout_s=0)  # drawn before the wait began
    second = gate.begin()
    waited = threading.Event()
    waiting = threading.Thread(target=lambda: gate.wait(second) and waited.set())
    waiting.start()
    while gate.waiting_for != second:  # the thread is waiting for the second frame
        waiting.join(0.001)
    gate.end(second)
    waiting.join(5)
    assert waited.is_set()
    assert gate.waiting_for is None


def test_a_frame_that_never_ends_holds_the_training_thread_no_longer_than_the_timeout():
    gate = FrameGate()
    assert not gate.wait(gate.begin(), timeout_s=0.01)
    assert gate.waiting_for is None
