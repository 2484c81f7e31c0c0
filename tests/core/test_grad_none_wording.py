"""Every explanation of a None .grad, read as the inspector shows it: "None — <text>".

A student reads these aloud; a doubled word ("None — None yet") or a claim that does not
fit the code (backward() "has run" when only torch.autograd.grad did) trips them.
"""

import re
from typing import get_args

import pytest

from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.core.playground import Playground
from autograd_playground.core.teach.grad_none import GradNoneCase, explain_grad_none

# One cell per branch of core.teach.grad_none, and the tensor whose grad is None.
CELLS = {
    "non_leaf": ("x = torch.ones(2, requires_grad=True)\nh = x * 3\nh.sum().backward()\n", "h"),
    "non_leaf_scaled_leaf": (
        "w = torch.ones(3, requires_grad=True) * 0.1\ny = (w * 2).sum()\ny.backward()\n",
        "w",
    ),
    "requires_grad_false": (
        "x = torch.ones(3)\nw = torch.ones(3, requires_grad=True)\n(x * w).sum().backward()\n",
        "x",
    ),
    "not_floating": ("n = torch.arange(3)\n", "n"),
    "detached": (
        "x = torch.tensor(2.0, requires_grad=True)\nh = (x * 3).detach()\ny = h * x\n"
        "y.backward()\n",
        "h",
    ),
    "cut_by_detach": (
        "x = torch.tensor(2.0, requires_grad=True)\nw = torch.tensor(1.0, requires_grad=True)\n"
        "h = (x * 3).detach()\ny = h * w\ny.backward()\n",
        "x",
    ),
    "no_grad": (
        "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    h = x * 2\n",
        "h",
    ),
    "inference_mode": (
        "x = torch.ones(2, requires_grad=True)\nwith torch.inference_mode():\n    h = x * 2\n",
        "h",
    ),
    "scalar_root_waiting": ("x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n", "x"),
    "vector_root_waiting": ("x = torch.ones(2, requires_grad=True)\nv = x * 3\n", "x"),
    "unused_leaf": ("x = torch.ones(2, requires_grad=True)\n", "x"),
    "retained_before_backward": (
        "x = torch.ones(2, requires_grad=True)\nh = x * 3\nh.retain_grad()\ny = h.sum()\n",
        "h",
    ),
    "autograd_grad": (
        "x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n"
        "(g,) = torch.autograd.grad(y, x)\n",
        "x",
    ),
    "other_root": (
        "a = torch.ones(2, requires_grad=True)\nb = torch.ones(2, requires_grad=True)\n"
        "y = (a * 2).sum()\nz = (b * 3).sum()\ny.backward()\n",
        "b",
    ),
    "two_roots_and_no_grad_use": (
        "a = torch.ones(2, requires_grad=True)\nb = torch.ones(2, requires_grad=True)\n"
        "with torch.no_grad():\n    c = b * 2\ny = (a * 2 + c).sum()\nz = (a * 3).sum()\n"
        "y.backward()\nz.backward()\n",
        "b",
    ),
}
DOUBLED_WORD = re.compile(r"(?<!\w)(\w+)\W+\1(?!\w)", re.IGNORECASE)


@pytest.fixture(scope="module")
def explanations():
    """Every cell's explanation, in English and Chinese, as (case, text, fix label)."""
    playground = Playground()
    playground.warm_up()
    found = {}
    try:
        for cell_id, (code, name) in CELLS.items():
            playground.reset()
            outcome = playground.execute(code)
            assert outcome.result.error is None, outcome.result.error.text
            node = outcome.graph.find(name) or probe_tensor(
                playground.evaluator.user_names(), name, playground.evaluator.line_table
            )
            for language in ("en", "zh"):
                reason = explain_grad_none(node, outcome.graph, code, language)
                label = reason.fix.describe(language) if reason.fix else None
                found[cell_id, language] = (reason.case, reason.text, label)
    finally:
        playground.close()
    return found


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("cell_id", list(CELLS))
def test_explanations_read_cleanly_after_the_panels_none(explanations, cell_id, language):
    _case, text, label = explanations[cell_id, language]
    shown = f"None — {text}"
    assert not DOUBLED_WORD.search(shown), DOUBLED_WORD.search(shown).group(0)
    assert "None" not in re.findall(r"\w+", text)[:3], text
    for jargon in ("constant", "take part", "takes no part", "not differentiated"):
        assert jargon not in text
    assert text.count("`") % 2 == 0  # every code span is closed
    if label is not None:
        assert not DOUBLED_WORD.search(label)


def test_each_branch_is_rendered(explanations):
    cases = {case for case, _, _ in explanations.values()}
    assert cases == set(get_args(GradNoneCase))


def test_torch_autograd_grad_is_not_mistaken_for_backward(explanations):
    """autograd.grad frees the graph like backward() but fills no .grad: the student is
    told that, and offered no backward() that would break their autograd.grad line."""
    case, text, label = explanations["autograd_grad", "en"]
    assert case == "no_backward_yet"
    assert "backward() has run" not in text
    assert "`torch.autograd.grad(...)` returns the gradients instead of filling .grad." in text
    assert label is None
