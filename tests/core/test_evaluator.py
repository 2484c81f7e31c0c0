"""The evaluator runs code like a notebook cell and reports errors in the user's terms."""

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograd_playground.core.run.evaluator import Evaluator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def evaluator():
    return Evaluator()


def test_last_expression_is_displayed_and_prints_are_captured(evaluator):
    result = evaluator.run("x = torch.arange(4.0)\nprint('sum', int(x.sum()))\nx * 2")
    assert result.error is None
    assert result.stdout == "sum 6\n"
    assert result.display == "tensor([0., 2., 4., 6.])"


def test_stderr_is_captured_apart(evaluator):
    result = evaluator.run("import sys\nprint('oops', file=sys.stderr)")
    assert result.stderr == "oops\n"
    assert result.stdout == ""


def test_namespace_persists_and_is_preloaded(evaluator):
    evaluator.run("kept = 41")
    result = evaluator.run("kept + 1, type(nn.Linear).__name__, F.relu.__name__, np.pi > 3")
    assert result.display == "(42, 'type', 'relu', True)"


def test_runtime_error_names_the_user_line_without_app_frames(evaluator):
    code = "a = 1\ndef f(t):\n    return t.nope\nb = 2\nf(torch.ones(1))\nc = 3"
    result = evaluator.run(code)
    error = result.error
    assert error is not None
    assert error.line == 3
    assert error.headline == "line 3: AttributeError: 'Tensor' object has no attribute 'nope'"
    assert error.text.startswith("Traceback (most recent call last):\n  line 5, in <module>\n")
    assert "    return t.nope\n" in error.text
    assert "core/" not in error.text
    assert ".py" not in error.text
    # Everything assigned before the failing line stays.
    assert evaluator.namespace["b"] == 2
    assert "c" not in evaluator.namespace


def test_syntax_error_shows_the_caret(evaluator):
    result = evaluator.run("x = 1\ny = = 2\n")
    assert result.error.line == 2
    assert result.error.text.splitlines() == [
        "  line 2",
        "    y = = 2",
        "        ^",
        "SyntaxError: invalid syntax",
    ]


def test_shape_mismatch_names_line(evaluator):
    result = evaluator.run("a = torch.ones(2, 3)\nb = torch.ones(2)\nc = a + b")
    assert result.error.line == 3
    assert "size of tensor a (3) must match" in result.error.message


def test_backward_twice_names_the_second_call(evaluator):
    code = (
        "x = torch.randn((2, 3), requires_grad=True)\ny = torch.square(x) - 1\n"
        "loss = y.mean()\nloss.backward()\nloss.backward()"
    )
    result = evaluator.run(code)
    assert result.error.line == 5
    assert "backward through the graph a second time" in result.error.message


# Stop must end a run while the learner waits for it. How soon it does is measured by
# benchmarks/stop_latency.py: on a loaded test machine a figure is noise, so a test
# only tells a prompt Stop from one that stalls, far beyond the fallback's delay.
STOPPED_WITHIN_S = 5.0


def interrupt_when_running(evaluator, after: float = 0.3) -> list[float]:
    """Interrupt ``evaluator`` ``after`` seconds into its next run; return when it was sent."""
    sent: list[float] = []

    def stop() -> None:
        deadline = time.perf_counter() + 30
        while not evaluator.is_running and time.perf_counter() < deadline:
            time.sleep(0.01)
        time.sleep(after)
        sent.append(time.perf_counter())
        evaluator.interrupt()

    threading.Thread(target=stop, daemon=True).start()
    return sent


def test_stop_interrupts_a_runaway_loop(evaluator):
    sent = interrupt_when_running(evaluator)
    result = evaluator.run("n = 0\nwhile True:\n    n += 1\n")
    elapsed = time.perf_counter() - sent[0]
    assert result.error.interrupted
    assert result.error.message in ("Interrupted at line 2", "Interrupted at line 3")
    assert elapsed < STOPPED_WITHIN_S
    assert evaluator.namespace["n"] > 0
    # The evaluator stays usable, and a stale interrupt does not hit the next run.
    assert evaluator.interrupt() is False
    assert evaluator.run("1 + 1").display == "2"


def test_huge_output_is_capped():
    small = Evaluator(output_limit=1000)
    result = small.run("print('x' * 50_000)\nprint(torch.zeros(10**6))")
    assert len(result.stdout) < 1200
    assert "more characters not shown" in result.stdout


def test_system_exit_and_input_do_not_end_the_app(evaluator):
    exit_result = evaluator.run("import sys\nsys.exit(3)")
    assert exit_result.error.kind == "SystemExit"
    assert exit_result.error.line == 2
    input_result = evaluator.run("name = input('name? ')")
    assert "input() is not available" in input_result.error.message


def test_os_exit_is_refused_with_its_line_and_the_namespace_is_kept(evaluator):
    code = "import os as system\nbefore = 1\ndef leave():\n    system._exit(3)\nleave()\nafter = 1"
    result = evaluator.run(code)
    assert result.error.line == 4
    assert result.error.headline == (
        "line 4: os._exit(3) was refused: it would close the whole playground, not just your code"
    )
    assert "before" in evaluator.namespace
    assert "after" not in evaluator.namespace
    assert evaluator.run("before + 1").display == "2"


def test_a_thread_the_code_starts_cannot_end_the_process(evaluator):
    code = (
        "import os, threading\n"
        "refused = []\n"
        "def leave():\n"
        "    try:\n"
        "        os._exit(6)\n"
        "    except SystemExit as exc:\n"
        "        refused.append(str(exc))\n"
        "worker = threading.Thread(target=leave)\n"
        "worker.start()\n"
        "worker.join()\n"
        "refused"
    )
    result = evaluator.run(code)
    assert result.error is None
    assert "os._exit(6) was refused" in result.display


def test_signal_zero_to_itself_only_checks_and_is_allowed(evaluator):
    result = evaluator.run("import os\nos.kill(os.getpid(), 0)\n'alive'")
    assert result.display == "'alive'"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_the_apps_own_exit_and_a_forked_childs_exit_still_work():
    """Only the user's code in the app's own process is refused: a forked child (a
    DataLoader worker) and the app itself still end with os._exit."""
    cell = (
        "import os\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    os._exit(7)\n"
        "status = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])\n"
        "os._exit(8)\n"
    )
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from autograd_playground.core.run.evaluator import Evaluator\n"
        "evaluator = Evaluator()\n"
        f"result = evaluator.run({cell!r})\n"
        "print(evaluator.namespace['status'], result.error.headline, flush=True)\n"
        "os._exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.startswith("7 line 6: os._exit(8) was refused")


def test_reset_forgets_user_names(evaluator):
    evaluator.run("temporary = torch.ones(3)")
    assert "temporary" in evaluator.user_names()
    evaluator.reset()
    assert "temporary" not in evaluator.user_names()
    assert evaluator.run("torch.ones(2).sum()").display == "tensor(2.)"


def test_device_name_is_available_to_code():
    ev = Evaluator(device="cpu")
    assert ev.run("device").display == "device(type='cpu')"
    assert "device" not in ev.user_names()


def test_stop_also_ends_a_loop_outside_the_users_lines(evaluator):
    # The loop runs in a frame the line tracer does not follow (as library code would).
    code = "exec(compile('while True:\\n    pass\\n', 'library.py', 'exec'))\n"
    sent = interrupt_when_running(evaluator)
    result = evaluator.run(code)
    assert result.error.interrupted
    assert result.error.line == 1
    assert time.perf_counter() - sent[0] < STOPPED_WITHIN_S


def test_a_warning_names_the_cell_line_without_torch_internals(evaluator):
    from autograd_playground.core.run import cell_warnings

    # pytest puts back Python's own showwarning around each test, to record warnings.
    cell_warnings.install()
    result = evaluator.run(
        "x = torch.ones(3, requires_grad=True)\nh = x * 2\nh.sum().backward()\nh.grad\n"
    )
    assert result.error is None
    assert result.stderr.startswith(
        "Warning at line 4: UserWarning: The .grad attribute of a Tensor that is not a leaf"
    )
    assert "Triggered internally" not in result.stderr
    assert "<cell-" not in result.stderr


def test_warnings_from_other_files_keep_python_s_format():
    from autograd_playground.core.run.cell_warnings import format_cell_warning

    assert format_cell_warning("careful", UserWarning, "lib.py", 3) is None
    assert (
        format_cell_warning("slow (Triggered internally at x.cpp:1.)", UserWarning, "<cell-2>", 7)
        == "Warning at line 7: UserWarning: slow\n"
    )


class _ListingRecorder:
    """Notes what the evaluator asks of a recorder, and the user's names at each begin."""

    def __init__(self, names, line_of) -> None:
        self.names = names
        self.calls: list[tuple] = []

    def begin(self, run_id: int) -> None:
        self.calls.append(("begin", run_id, sorted(self.names())))

    def end(self) -> None:
        self.calls.append(("end",))

    def clear(self) -> None:
        self.calls.append(("clear",))


def test_a_recorder_brackets_every_run_and_is_cleared_with_the_namespace():
    evaluator = Evaluator(make_recorder=_ListingRecorder)
    evaluator.run("a = 1")
    evaluator.run("b = 1 / 0")
    recorder = evaluator.recorder
    evaluator.reset()
    assert evaluator.recorder is recorder
    assert recorder.calls == [
        ("clear",),
        ("begin", 1, []),
        ("end",),
        ("begin", 2, ["a"]),
        ("end",),  # after an error too
        ("clear",),
    ]


def test_a_recorder_does_not_keep_its_evaluator_alive():
    evaluator = Evaluator(make_recorder=_ListingRecorder)
    evaluator.run("a = 1")
    recorder = evaluator.recorder
    del evaluator
    gc.collect()
    assert recorder.names() == {}


def test_an_evaluator_without_a_recorder_runs_code():
    evaluator = Evaluator()
    assert evaluator.run("1 + 1").display == "2"
    assert evaluator.recorder is None
