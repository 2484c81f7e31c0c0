"""The fix edits as pure text: exact results, and clear refusals when the code moved on."""

import pytest

from autograd_playground.core.teach.code_fixes import CodeFix, FixError, apply_fix, changed_span
from autograd_playground.core.teach.source_facts import backward_targets, cut_uses, find_assignment


def test_inserted_call_keeps_the_statement_indentation_inside_a_loop():
    code = "for i in range(3):\n    h = x * i\n    loss = h.sum()\n"
    fixed = apply_fix(code, CodeFix("retain_grad", "h", 2))
    assert fixed == "for i in range(3):\n    h = x * i\n    h.retain_grad()\n    loss = h.sum()\n"


def test_inserted_call_goes_after_a_statement_spanning_lines():
    code = "h = torch.cat([\n    a,\n    b,\n])\ny = h.sum()"
    fixed = apply_fix(code, CodeFix("retain_grad", "h", 1))
    assert fixed == "h = torch.cat([\n    a,\n    b,\n])\nh.retain_grad()\ny = h.sum()"


def test_inserted_call_after_the_last_line_without_newline():
    assert apply_fix("y = x.sum()", CodeFix("backward", "y", 1)) == "y = x.sum()\ny.backward()\n"


def test_remove_detach_keeps_the_parentheses_and_other_text():
    code = "é = 1\nh = (x * 3).detach() + w.detach()  # note\n"
    assert apply_fix(code, CodeFix("remove_detach", "x", 2)) == (
        "é = 1\nh = (x * 3) + w.detach()  # note\n"
    )
    assert apply_fix(code, CodeFix("remove_detach", "w", 2)) == (
        "é = 1\nh = (x * 3).detach() + w  # note\n"
    )


@pytest.mark.parametrize(
    ("code", "fix", "message"),
    [
        ("h = x * 3\n", CodeFix("retain_grad", "g", 1), "no longer assigns g"),
        ("h = x * 3\n", CodeFix("remove_detach", "h", 1), r"has no `\.detach\(\)` any more"),
        ("h = (x * \n", CodeFix("retain_grad", "h", 1), "syntax error"),
        ("if c: h = x * 3\n", CodeFix("retain_grad", "h", 1), "more than one statement"),
    ],
)
def test_a_fix_that_no_longer_fits_says_why(code, fix, message):
    with pytest.raises(FixError, match=message):
        apply_fix(code, fix)


def test_changed_span_is_the_smallest_replacement():
    old, new = "a = 1\nb = 2\n", "a = 1\na.retain_grad()\nb = 2\n"
    start, end, text = changed_span(old, new)
    assert old[:start] + text + old[end:] == new
    assert (start, end) == (6, 6)
    assert changed_span("abc", "abc") == (3, 3, "")


def test_assignment_facts_from_the_source():
    code = "x = 1\nwith torch.no_grad():\n    h = (x * 2).detach()\ndef f():\n    h = 3\n"
    found = find_assignment(code, "h")
    assert (found.line, found.grad_mode, found.grad_mode_line) == (3, "no_grad", 2)
    assert found.detach_line == 3
    assert found.indent == "    "
    assert not found.top_level  # a function's own h does not count
    assert find_assignment(code, "nope") is None


def test_backward_targets_and_cut_uses():
    code = (
        "loss.backward()\ntorch.autograd.backward(z)\n"
        "with torch.no_grad():\n    w -= 0.1 * w.grad\n    v = w * 2\n"
    )
    assert backward_targets(code) == [("loss", 1), ("z", 2)]
    uses = cut_uses(code, "w")
    assert [(use.line, use.how) for use in uses] == [(5, "no_grad")]  # the update is no cut


def test_backward_of_many_elements_is_rewritten_as_the_fix_says():
    code = "y = x * 2\ny.backward()  # all of it\n"
    assert apply_fix(code, CodeFix("sum_before_backward", "y", 2)) == (
        "y = x * 2\ny.sum().backward()  # all of it\n"
    )
    assert apply_fix(code, CodeFix("ones_like_backward", "y", 2)) == (
        "y = x * 2\ny.backward(torch.ones_like(y))  # all of it\n"
    )
    with pytest.raises(FixError, match=r"no longer calls y\.backward"):
        apply_fix("y = x * 2\n", CodeFix("sum_before_backward", "y", 2))
