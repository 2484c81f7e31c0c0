"""The bad-input corpus: mistakes students make all day, none of which may crash, freeze
or lose work.

Each case is a piece of code, the line its error must name and a phrase of the message.
Every case's line 1 assigns a name, so the tests can tell that what ran before the failing
line is kept. The same corpus goes through the evaluator and through the export command.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import time
from dataclasses import dataclass

import pytest
import torch

from autograd_playground.core.export_cli import main as export_main
from autograd_playground.core.run.capture import MAX_LINE
from autograd_playground.core.run.evaluator import Evaluator, RunResult
from tests.core.test_evaluator import STOPPED_WITHIN_S, interrupt_when_running

# Warnings the cases cause on purpose: anomaly mode's, and the legacy Function call's.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Anomaly Detection has been enabled:UserWarning",
    "ignore:Error detected in SqrtBackward0:UserWarning",
    "ignore:.*should not be instantiated:DeprecationWarning",
)

RUNTIME = "runtime"  # runs up to the failing line
SYNTAX = "syntax"  # nothing of the code runs
ENDLESS = "endless"  # runs until Stop (or the export's --timeout) ends it

LONG_LIST = "[" + ", ".join(str(i) for i in range(100_000)) + "]"
# An error may quote a line, but never at a length that would flood the output pane.
MAX_ERROR_TEXT = 6_000
MAX_HEADLINE = 1_100


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    line: int | tuple[int, ...]  # several lines: a loop may be stopped at any of its lines
    message: str | tuple[str, ...]  # in the error's message; a tuple: any one of them
    kind: str = RUNTIME
    # What the export command says instead, when it refuses the file before running it.
    export_refusal: str = ""
    # Run after the case when the corpus runs on one evaluator: what a student would type
    # to get back what the case took away.
    repair: str = ""
    marks: tuple = ()

    @property
    def lines(self) -> tuple[int, ...]:
        return self.line if isinstance(self.line, tuple) else (self.line,)

    @property
    def messages(self) -> tuple[str, ...]:
        return self.message if isinstance(self.message, tuple) else (self.message,)

    @property
    def first_name(self) -> str:
        first = ast.parse(self.code.splitlines()[0]).body[0]
        assert isinstance(first, ast.Assign), f"{self.id}: line 1 must assign a name"
        return first.targets[0].id


CUSTOM_FUNCTION = """\
x = torch.ones(2, requires_grad=True)
class Custom(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return {forward}
    @staticmethod
    def backward(ctx, g):
        {backward}
y = Custom.apply(x)
y.sum().backward()
"""

CASES = [
    # -- syntax ---------------------------------------------------------------
    Case("unclosed_paren", "a = 1\nb = (2\nc = 3\n", 2, "'(' was never closed", SYNTAX),
    Case("assignment_in_if", "a = 1\nif a = 2:\n    pass\n", 2, "invalid syntax", SYNTAX),
    Case("missing_colon", "a = 1\nfor i in range(3)\n    a += i\n", 2, "expected ':'", SYNTAX),
    Case(
        "mismatched_bracket",
        "a = 1\nb = [1, 2)\n",
        2,
        "')' does not match opening parenthesis '['",
        SYNTAX,
    ),
    Case("lambda_as_a_name", "a = 1\nlambda = 0.01\n", 2, "invalid syntax", SYNTAX),
    Case(
        "python2_print",
        "a = 1\nprint 'loss', a\n",
        2,
        "Missing parentheses in call to 'print'",
        SYNTAX,
    ),
    Case(
        "tabs_and_spaces",
        "a = 1\nif a:\n\tb = 1\n        c = 2\n",
        4,
        "inconsistent use of tabs and spaces",
        SYNTAX,
    ),
    Case("unexpected_indent", "a = 1\n  b = 2\n", 2, "unexpected indent", SYNTAX),
    Case("unterminated_string", "a = 1\ns = 'hello\n", 2, "unterminated string literal", SYNTAX),
    Case(
        "unterminated_triple_quote",
        "a = 1\ns = '''notes\n\nb = 2\n",
        2,
        "unterminated triple-quoted string",
        SYNTAX,
    ),
    Case(
        "null_byte",
        "a = 1\nb = 2\x00\n",
        2,
        "null bytes",
        SYNTAX,
        export_refusal="error: case.py looks like a binary file, not Python source "
        "(null byte on line 2)",
    ),
    Case("very_long_line_syntax", f"a = 1\nxs = {LONG_LIST} +\n", 2, "invalid syntax", SYNTAX),
    # -- names ----------------------------------------------------------------
    Case(
        "name_error", "a = 1\nb = undefined_name + 1\n", 2, "name 'undefined_name' is not defined"
    ),
    Case(
        "typo_x_gard",
        "x = torch.ones(2, requires_grad=True)\ng = x.gard\n",
        2,
        "'Tensor' object has no attribute 'gard'",
    ),
    Case(
        "typo_torch_tensr",
        "a = 1\nt = torch.tensr([1.0])\n",
        2,
        "module 'torch' has no attribute 'tensr'",
    ),
    Case(
        "name_error_inside_a_function",
        "a = 1\ndef loss_fn(y):\n    return (y - target).pow(2).mean()\n"
        "loss = loss_fn(torch.ones(3))\n",
        3,
        "name 'target' is not defined",
    ),
    Case(
        "torch_overwritten",
        "a = 1\ntorch = 0.5\nx = torch.ones(2)\n",
        3,
        "'float' object has no attribute 'ones'",
        repair="import torch",
    ),
    Case(
        "torch_deleted",
        "a = 1\ndel torch\nx = torch.ones(2)\n",
        3,
        "name 'torch' is not defined",
        repair="import torch",
    ),
    Case("builtin_deleted", "a = 1\ndel print\n", 2, "name 'print' is not defined"),
    Case(
        "builtins_deleted",
        "a = 1\ndel __builtins__\nb = undefined\n",
        3,
        "name 'undefined' is not defined",
    ),
    Case(
        "builtin_shadowed",
        "a = 1\nsum = 0\ntotal = sum([1, 2])\n",
        3,
        "'int' object is not callable",
        repair="del sum",
    ),
    Case("tensor_called", "x = torch.ones(2)\ny = x(2)\n", 2, "'Tensor' object is not callable"),
    # -- shapes, dtypes, devices ----------------------------------------------
    Case(
        "shape_mismatch",
        "a = torch.ones(2, 3)\nb = torch.ones(2)\nc = a + b\n",
        3,
        (
            "size of tensor a (3) must match the size of tensor b (2)",
            "a is (2, 3), b is (2): Broadcasting lines shapes up from the right",
        ),
    ),
    Case(
        "matmul_shapes",
        "a = torch.ones(2, 3)\nb = torch.ones(2, 3)\nc = a @ b\n",
        3,
        (
            "cannot be multiplied (2x3 and 2x3)",
            "a @ b: a is (2, 3), b is (2, 3): matmul needs a's last dimension (3) to equal "
            "b's first (2)",
        ),
    ),
    Case(
        "linear_wrong_in_features",
        "layer = nn.Linear(3, 2)\nout = layer(torch.ones(4, 5))\n",
        2,
        (
            "cannot be multiplied (4x5 and 3x2)",
            "got shapes (4, 5) and (3, 2): the first's last dimension (5) must equal",
        ),
    ),
    Case(
        "view_wrong_size",
        "x = torch.arange(6.0)\ny = x.view(4, 2)\n",
        2,
        (
            "shape '[4, 2]' is invalid for input of size 6",
            "x has 6 elements, but the shape (4, 2) holds 8",
        ),
    ),
    Case(
        "cat_mismatch",
        "a = torch.ones(2, 3)\nb = torch.cat([a, torch.ones(3, 2)])\n",
        2,
        "Sizes of tensors must match except in dimension 0",
    ),
    Case(
        "ragged_list",
        "a = 1\nt = torch.tensor([[1, 2], [3]])\n",
        2,
        "expected sequence of length 2 at dim 1 (got 1)",
    ),
    Case(
        "dtype_mismatch_matmul",
        "a = torch.ones(2, 2)\nb = torch.ones(2, 2, dtype=torch.float64)\nc = a @ b\n",
        3,
        "same dtype",
    ),
    Case(
        "linear_on_int_tensor",
        "layer = nn.Linear(2, 1)\nout = layer(torch.tensor([[1, 2]]))\n",
        2,
        "same dtype, but got Long and Float",
    ),
    Case(
        "requires_grad_on_int_tensor",
        "a = 1\nx = torch.tensor([1, 2], requires_grad=True)\n",
        2,
        "Only Tensors of floating point and complex dtype can require gradients",
    ),
    Case(
        "cuda_on_a_cpu_machine",
        "a = 1\nx = torch.ones(2).to('cuda')\n",
        2,
        ("Torch not compiled with CUDA enabled", "NVIDIA driver", "No CUDA GPUs"),
        marks=(pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA"),),
    ),
    Case(
        "tensor_index_out_of_range",
        "x = torch.arange(3)\ny = x[5]\n",
        2,
        "index 5 is out of bounds for dimension 0 with size 3",
    ),
    Case("list_index_out_of_range", "a = [1, 2]\nb = a[2]\n", 2, "list index out of range"),
    Case(
        "item_of_many_elements",
        "x = torch.ones(3)\nv = x.item()\n",
        2,
        "a Tensor with 3 elements cannot be converted to Scalar",
    ),
    Case(
        "str_plus_tensor",
        "loss = torch.tensor(0.5)\nprint('loss: ' + loss)\n",
        2,
        'can only concatenate str (not "Tensor") to str',
    ),
    Case(
        "format_of_many_elements",
        "x = torch.ones(3)\nprint(f'{x:.2f}')\n",
        2,
        "unsupported format string passed to Tensor.__format__",
    ),
    Case(
        "module_without_super_init",
        "a = 1\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        self.fc = nn.Linear(2, 1)\nnet = Net()\n",
        4,
        "cannot assign module before Module.__init__() call",
    ),
    Case(
        "forward_without_return",
        "a = 1\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(2, 1)\n    def forward(self, x):\n        y = self.fc(x)\n"
        "net = Net()\nloss = net(torch.ones(1, 2)).sum()\n",
        9,
        "'NoneType' object has no attribute 'sum'",
    ),
    Case(
        "optimizer_without_parameters",
        "a = 1\nopt = torch.optim.SGD([], lr=0.1)\n",
        2,
        "optimizer got an empty parameter list",
    ),
    # -- autograd -------------------------------------------------------------
    Case(
        "backward_twice",
        "x = torch.ones(3, requires_grad=True)\nloss = (x * x).sum()\nloss.backward()\n"
        "loss.backward()\n",
        4,
        (
            "Trying to backward through the graph a second time",
            "The first backward() freed the tensors the graph had saved",
        ),
    ),
    Case(
        "retain_graph_missing",
        "x = torch.ones(2, requires_grad=True)\nh = x * x\nloss1 = h.sum()\n"
        "loss2 = (h * 3).sum()\nloss1.backward()\nloss2.backward()\n",
        6,
        ("Specify retain_graph=True", "Call backward(retain_graph=True) the first time"),
    ),
    Case(
        "backward_of_non_scalar",
        "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n",
        3,
        (
            "grad can be implicitly created only for scalar outputs",
            "Call y.sum().backward(), or pass the weights of each element",
        ),
    ),
    Case(
        "inplace_change_of_saved_tensor",
        "x = torch.ones(3, requires_grad=True)\ny = x.exp()\ny.add_(1)\ny.sum().backward()\n",
        4,
        (
            "modified by an inplace operation",
            "changed it to version 1 before backward() used it",
        ),
    ),
    Case(
        "numpy_of_tensor_requiring_grad",
        "x = torch.ones(3, requires_grad=True)\nn = x.numpy()\n",
        2,
        "Can't call numpy() on Tensor that requires grad",
    ),
    Case(
        "backward_without_requires_grad",
        "x = torch.ones(2)\ny = x.sum()\ny.backward()\n",
        3,
        (
            "does not require grad and does not have a grad_fn",
            "y does not require grad and has no grad_fn, so autograd recorded no graph",
        ),
    ),
    Case(
        "backward_after_no_grad",
        "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n"
        "    y = (x * 2).sum()\ny.backward()\n",
        4,
        (
            "does not require grad and does not have a grad_fn",
            "y does not require grad and has no grad_fn, so autograd recorded no graph",
        ),
    ),
    Case(
        "zero_grad_when_grad_is_none",
        "x = torch.ones(2, requires_grad=True)\nx.grad.zero_()\n",
        2,
        "'NoneType' object has no attribute 'zero_'",
    ),
    Case(
        "inplace_on_leaf",
        "x = torch.ones(2, requires_grad=True)\nx += 1\n",
        2,
        (
            "a leaf Variable that requires grad is being used in an in-place operation",
            "x is a leaf tensor that requires grad, so it cannot be changed in place",
        ),
    ),
    Case(
        "requires_grad_of_non_leaf",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad = False\n",
        3,
        "you can only change requires_grad flags of leaf variables",
    ),
    Case(
        "custom_backward_raises",
        CUSTOM_FUNCTION.format(forward="t * 2", backward="raise ValueError('broken backward')"),
        8,
        "ValueError: broken backward",
    ),
    Case(
        "custom_forward_returns_non_tensor",
        CUSTOM_FUNCTION.format(forward="3", backward="return g"),
        10,
        "'int' object has no attribute 'sum'",
    ),
    Case(
        "custom_backward_returns_too_many",
        CUSTOM_FUNCTION.format(forward="t * 2", backward="return g, g"),
        10,
        "returned an incorrect number of gradients (expected 1, got 2)",
    ),
    Case(
        "legacy_function_call",
        "x = torch.ones(2, requires_grad=True)\nclass Double(torch.autograd.Function):\n"
        "    def forward(self, t):\n        return t * 2\ny = Double()(x)\n",
        5,
        "Legacy autograd function with non-static forward method",
    ),
    Case(
        "nan_to_int",
        "a = 1\nloss = torch.log(torch.tensor(-1.0))\nsteps = int(loss)\n",
        3,
        "cannot convert float NaN to integer",
    ),
    Case(
        "nan_caught_by_anomaly_mode",
        "x = torch.tensor([-1.0, 4.0], requires_grad=True)\n"
        "with torch.autograd.detect_anomaly():\n    y = torch.sqrt(x).sum()\n    y.backward()\n",
        4,
        "Function 'SqrtBackward0' returned nan values",
    ),
    # -- resources ------------------------------------------------------------
    Case("enormous_tensor", "a = 1\nbig = torch.empty(10**13)\n", 2, "can't allocate memory"),
    Case("enormous_list", "a = 1\nbig = [0] * 10**13\n", 2, "MemoryError"),
    # What a GPU says when a cell asks for more than it has; simulated, so it runs anywhere.
    Case(
        "device_out_of_memory",
        "a = 1\nraise torch.OutOfMemoryError('CUDA out of memory. Tried to allocate 8.00 GiB')\n",
        2,
        "CUDA out of memory. Tried to allocate 8.00 GiB",
    ),
    Case(
        "runaway_recursion",
        "a = 1\ndef f(n):\n    return f(n + 1)\nf(0)\n",
        3,
        "maximum recursion depth exceeded",
    ),
    Case(
        "runaway_mutual_recursion",
        "a = 1\ndef f(n):\n    return g(n)\ndef g(n):\n    return f(n)\nf(0)\n",
        (3, 5),
        "maximum recursion depth exceeded",
    ),
    Case(
        "deeply_nested_data",
        "a = 1\nd = []\nfor _ in range(100_000):\n    d = [d]\ntext = repr(d)\n",
        5,
        "maximum recursion depth exceeded",
    ),
    Case(
        "huge_print_then_error",
        "a = 1\nprint(torch.arange(10**6))\nprint('x' * 10**6)\nb = 1 / 0\n",
        4,
        "division by zero",
    ),
    Case(
        "huge_exception_message",
        "a = 1\nd = {}\nv = d[str(list(range(10**6)))]\n",
        3,
        "KeyError: '[0, 1, 2, 3",
    ),
    Case("very_long_line", f"a = 1\nxs = {LONG_LIST} + nope\n", 2, "name 'nope' is not defined"),
    # -- the environment ------------------------------------------------------
    Case(
        "input_without_stdin", "a = 1\nname = input('Your name? ')\n", 2, "input() is not available"
    ),
    Case(
        "stdin_read",
        "a = 1\nimport sys\nline = sys.stdin.readline()\nassert line, 'stdin is empty'\n",
        4,
        "AssertionError: stdin is empty",
    ),
    Case("interactive_help", "a = 1\nhelp()\nb = 1 / 0\n", 3, "division by zero"),
    Case("sys_exit", "a = 1\nimport sys\nsys.exit(2)\n", 3, "SystemExit: 2"),
    Case("raise_system_exit", "a = 1\nraise SystemExit\n", 2, "SystemExit: None"),
    Case("exit_builtin", "a = 1\nexit()\n", 2, "SystemExit"),
    # os._exit and its kin would end the process itself, with nothing to catch. A
    # non-zero status each: were the refusal lost, the test run would not end "passed".
    Case("os_exit", "a = 1\nimport os\nos._exit(2)\n", 3, "os._exit(2) was refused"),
    Case("os_exit_aliased", "a = 1\nimport os as o\no._exit(1)\n", 3, "os._exit(1) was refused"),
    Case(
        "os_exit_imported",
        "a = 1\nfrom os import _exit as leave\nleave(4)\n",
        3,
        "os._exit(4) was refused",
    ),
    Case(
        "os_exit_in_function",
        "a = 1\nimport os\ndef quit_now():\n    os._exit(5)\nquit_now()\n",
        4,
        "os._exit(5) was refused",
    ),
    Case("os_abort", "a = 1\nimport os\nos.abort()\n", 3, "os.abort() was refused"),
    Case(
        "kill_own_process",
        "a = 1\nimport os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n",
        3,
        "SIGTERM) was refused",
    ),
    Case(
        "raise_signal",
        "a = 1\nimport signal\nsignal.raise_signal(signal.SIGINT)\n",
        3,
        "signal.raise_signal(SIGINT) was refused",
    ),
    Case(
        "keyboard_interrupt_raised", "a = 1\nraise KeyboardInterrupt\n", 2, "Interrupted at line 2"
    ),
    Case("zero_division", "a = 1\nb = a / 0\n", 2, "ZeroDivisionError: division by zero"),
    Case(
        "assert_fails",
        "a = 1\nloss = torch.tensor(2.0)\nassert loss < 1, f'loss too high: {loss.item()}'\n",
        3,
        "AssertionError: loss too high: 2.0",
    ),
    Case("missing_module", "a = 1\nimport torchvisionn\n", 2, "No module named 'torchvisionn'"),
    Case(
        "missing_file",
        "a = 1\ndata = open('no_such_file.csv').read()\n",
        2,
        "No such file or directory: 'no_such_file.csv'",
    ),
    Case("exec_raises", "a = 1\nexec('b = 1\\nc = nope')\n", 2, "name 'nope' is not defined"),
    Case("eval_syntax_error", "a = 1\nv = eval('1 +')\n", 2, "SyntaxError: invalid syntax"),
    Case(
        "repr_raises",
        "a = 1\nclass Shown:\n    def __repr__(self):\n"
        "        raise ValueError('no repr')\nShown()\n",
        4,
        "ValueError: no repr",
    ),
    # -- code that never ends -------------------------------------------------
    Case("endless_loop", "n = 0\nwhile True:\n    n += 1\n", (2, 3), "", ENDLESS),
    Case(
        "endless_generator_in_list",
        "a = 1\ndef naturals():\n    n = 0\n    while True:\n        yield n\n        n += 1\n"
        "xs = list(naturals())\n",
        (4, 5, 6),
        "",
        ENDLESS,
    ),
    Case(
        "endless_loop_in_backward",
        CUSTOM_FUNCTION.format(forward="t * 2", backward="while True:\n            pass"),
        (8, 9),
        "",
        ENDLESS,
    ),
    Case(
        "endless_loop_in_repr",
        "a = 1\nclass Shown:\n    def __repr__(self):\n        while True:\n            pass\n"
        "Shown()\n",
        (4, 5),
        "",
        ENDLESS,
    ),
    # A comprehension runs no statement of the user's: only the fallback stops it.
    Case("endless_comprehension", "a = 1\nxs = [0 for _ in iter(int, 1)]\n", 2, "", ENDLESS),
]


def _skipped(case: Case) -> bool:
    return any(mark.name == "skipif" and mark.args[0] for mark in case.marks)


def _params(cases: list[Case]) -> list:
    return [pytest.param(case, id=case.id, marks=case.marks) for case in cases]


def run_case(evaluator: Evaluator, case: Case) -> tuple[RunResult, float]:
    """Run ``case``; an endless one is stopped from another thread. Also return how long
    after the Stop it ended (0 for other cases)."""
    if case.kind != ENDLESS:
        return evaluator.run(case.code), 0.0
    sent = interrupt_when_running(evaluator)
    result = evaluator.run(case.code)
    return result, time.perf_counter() - sent[0]


def assert_reported(case: Case, result: RunResult, stopped_after: float) -> None:
    error = result.error
    assert error is not None, f"no error; stdout: {result.stdout[:200]!r}"
    assert error.line in case.lines, error.headline[:300]
    assert error.headline.startswith(f"line {error.line}: ")
    if case.kind == ENDLESS:
        assert error.interrupted
        assert error.message == f"Interrupted at line {error.line}"
        assert stopped_after < STOPPED_WITHIN_S
    else:
        assert any(phrase in error.message for phrase in case.messages), error.message[:300]
    # No frames of the app's (or any library's) files, and nothing that floods the pane.
    assert "core/" not in error.text
    assert '.py"' not in error.text
    assert len(error.text) < MAX_ERROR_TEXT
    assert len(error.headline) < MAX_HEADLINE
    # A print before the failure is capped, not lost; no line is long enough to freeze
    # the output pane.
    assert len(result.stdout) < 2 * 200_000
    assert all(len(line) <= MAX_LINE + 1 for line in result.stdout.splitlines())


@pytest.mark.parametrize("case", _params(CASES))
def test_evaluator_reports_the_line_and_stays_usable(case):
    evaluator = Evaluator()
    evaluator.run("earlier = 'kept'")
    result, stopped_after = run_case(evaluator, case)
    assert_reported(case, result, stopped_after)
    # What ran before the failing line is kept; a syntax error runs nothing.
    assert evaluator.namespace["earlier"] == "kept"
    assert (case.first_name in evaluator.namespace) == (case.kind != SYNTAX)
    following = evaluator.run("ok = 1 + 1\nok")
    assert following.error is None
    assert following.display == "2"
    assert not evaluator.is_running


def test_the_corpus_is_large_and_unique():
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES)


def test_one_engine_survives_the_whole_corpus():
    """A classroom's day: every mistake in turn on the window's engine and one namespace,
    each followed by drawing the graph of what is there, then real work."""
    from autograd_playground.core.playground import Playground

    playground = Playground()
    try:
        for case in CASES:
            if _skipped(case):
                continue
            sent = interrupt_when_running(playground.evaluator) if case.kind == ENDLESS else []
            outcome = playground.execute(case.code)
            stopped_after = time.perf_counter() - sent[0] if sent else 0.0
            assert_reported(case, outcome.result, stopped_after)
            assert outcome.graph_error is None, case.id
            if case.repair:
                assert playground.execute(case.repair).result.error is None
        first_path = (
            "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n"
            "y.backward()\nx.grad"
        )
        outcome = playground.execute(first_path)
    finally:
        playground.close()
    assert outcome.result.error is None
    assert outcome.result.display == "tensor([ 0.,  4.,  8., 12.])"
    assert outcome.layout is not None


def test_overwritten_torch_comes_back_with_reset():
    evaluator = Evaluator()
    evaluator.run("torch = None")
    evaluator.reset()
    assert evaluator.run("torch.ones(2).sum()").display == "tensor(2.)"


def test_recursion_is_folded_like_python_does():
    case = next(case for case in CASES if case.id == "runaway_recursion")
    text = Evaluator().run(case.code).error.text
    assert "[Previous line repeated" in text
    assert len(text.splitlines()) < 20


def test_a_very_long_line_is_quoted_around_the_error():
    case = next(case for case in CASES if case.id == "very_long_line_syntax")
    lines = Evaluator().run(case.code).error.text.splitlines()
    quoted, caret = lines[1], lines[2]
    assert quoted.strip().startswith("…")
    assert quoted.rstrip().endswith("99999] +")
    # The caret still points just past the '+' that has nothing after it.
    assert caret.index("^") >= quoted.index("+")


def test_huge_output_is_capped_not_lost():
    case = next(case for case in CASES if case.id == "huge_print_then_error")
    result = Evaluator().run(case.code)
    tensor, xs = result.stdout.splitlines()[:2]
    assert tensor == "tensor([     0,      1,      2,  ..., 999997, 999998, 999999])"
    assert xs == "x" * MAX_LINE + "…"
    assert result.stdout.endswith("… output truncated: 990,000 more characters not shown\n")


def test_a_long_value_is_shown_in_lines_the_pane_can_lay_out():
    display = Evaluator().run("list(range(10**5))").display
    assert display.startswith("[0, 1, 2, ")
    assert len(display) == MAX_LINE + 1
    assert display.endswith("…")


# -- the export command -------------------------------------------------------


@pytest.fixture
def export(tmp_path, capsys, monkeypatch):
    """Run the export command on ``code`` as case.py; return (status, stderr)."""
    # Many exports in one process: freezing the heap would keep every case's garbage.
    monkeypatch.setattr("autograd_playground.core.export_cli.freeze_startup_objects", lambda: None)

    def run(code: str | bytes, *options: str) -> tuple[int, str]:
        script = tmp_path / "case.py"
        if isinstance(code, bytes):
            script.write_bytes(code)
        else:
            script.write_text(code, encoding="utf-8")
        status = export_main([str(script), "-o", str(tmp_path / "graph.json"), *options])
        return status, capsys.readouterr().err

    return run


def assert_short_failure(err: str) -> None:
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "core/" not in err


@pytest.mark.parametrize("case", _params(CASES))
def test_export_fails_with_a_short_message_naming_the_line(case, export):
    if case.kind == ENDLESS:
        status, err = export(case.code, "--timeout", "1")
    else:
        status, err = export(case.code)
    assert status == 1
    last = err.strip().splitlines()[-1]
    if case.export_refusal:
        assert last == case.export_refusal
    elif case.kind == ENDLESS:
        stopped = re.fullmatch(
            r"error: case\.py: stopped after 1 s \(--timeout\) at line (\d+); "
            r"the script did not finish",
            last,
        )
        assert stopped, last
        assert int(stopped.group(1)) in case.lines
    else:
        assert any(last.startswith(f"error: case.py: line {line}: ") for line in case.lines), last
        assert any(phrase in last for phrase in case.messages), last[:300]
    assert "Traceback" not in err
    assert "core/" not in err
    assert len(last) < MAX_HEADLINE + 50


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text", id="png_image"),
        pytest.param(b"x = 1\x00\x00\x00\x02", "looks like a binary file", id="nul_bytes"),
        pytest.param("x = 'café'\n".encode("latin-1"), "not UTF-8 text", id="latin_1"),
        pytest.param("x = 1\n".encode("utf-16"), "not UTF-8 text", id="utf_16_from_notepad"),
    ],
)
def test_export_refuses_a_file_that_is_not_python_text(content, message, export):
    status, err = export(content)
    assert status == 1
    assert_short_failure(err)
    assert message in err
    assert "case.py" in err


def test_export_of_a_missing_script(tmp_path, capsys):
    status = export_main([str(tmp_path / "nope.py"), "-o", str(tmp_path / "g.json")])
    assert status == 1
    err = capsys.readouterr().err
    assert_short_failure(err)
    assert "cannot read" in err
    assert "No such file or directory" in err


def test_export_of_a_directory(tmp_path, capsys):
    status = export_main([str(tmp_path), "-o", str(tmp_path / "g.json")])
    assert status == 1
    err = capsys.readouterr().err
    assert_short_failure(err)
    assert "cannot read" in err


def test_export_with_an_unknown_root_names_the_tensors_there_are(export):
    code = "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
    status, err = export(code, "--root", "z")
    assert status == 1
    assert_short_failure(err)
    assert "no tensor named 'z' to use as a root (tensors: x, y)" in err


def test_window_engine_reports_an_unknown_root_without_failing_the_run():
    from autograd_playground.core.playground import Playground

    playground = Playground()
    try:
        playground.options.roots = ["z"]
        outcome = playground.execute("x = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    finally:
        playground.close()
    assert outcome.result.error is None
    assert "no tensor named 'z'" in outcome.graph_error
    assert [variable.name for variable in outcome.variables] == ["x", "y"]


def test_user_code_reads_an_empty_stdin_and_cannot_close_the_apps(monkeypatch):
    """A terminal's stdin would make ``sys.stdin.readline()`` or ``help()`` wait where Stop
    cannot reach; and plain Python's exit() closes stdin for the whole app."""
    terminal = io.StringIO("typed into the terminal\n")
    monkeypatch.setattr(sys, "stdin", terminal)
    evaluator = Evaluator()
    result = evaluator.run("import sys\nline = sys.stdin.readline()\nexit()")
    assert result.error.kind == "SystemExit"
    assert evaluator.namespace["line"] == ""
    assert not terminal.closed
    # The app's own threads read the real stdin as before.
    assert sys.stdin.readline() == "typed into the terminal\n"
