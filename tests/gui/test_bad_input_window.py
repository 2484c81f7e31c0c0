"""Cases of the bad-input corpus (tests/core/test_bad_input.py) run through the window, as a
student would: the error shows in red naming its line, the code stays as typed and the
next run works."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from autograd_playground.core.run.capture import MAX_LINE
from tests.core.test_bad_input import CASES, ENDLESS, Case
from tests.gui.conftest import run_in

RED = QColor("#d62728").name()
SHOWN = [
    "unclosed_paren",
    "backward_twice",
    "shape_mismatch",
    "builtins_deleted",
    "sys_exit",
    "os_exit_in_function",
    "input_without_stdin",
    "huge_print_then_error",
    "very_long_line",
    "huge_exception_message",
    "endless_loop",
    "endless_loop_in_repr",
]
BY_ID = {case.id: case for case in CASES}


def text_in_color(window, color: str) -> str:
    """Return the output pane's text written in ``color``."""
    parts = []
    block = window.output.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().foreground().color().name() == color:
                parts.append(fragment.text())
            iterator += 1
        parts.append("\n")
        block = block.next()
    return "".join(parts)


def longest_line(pane) -> int:
    block = pane.document().begin()
    longest = 0
    while block.isValid():
        longest = max(longest, len(block.text()))
        block = block.next()
    return longest


def run_until_stopped(window, qtbot, case: Case):
    """Run ``case``, press Stop once it has reached its endless lines, and return the
    RunOutcome."""
    window.editor.setPlainText(case.code)
    table = window.playground.evaluator.line_table
    table.clear()  # the line the last run ended on is not this run's
    window.run_all()
    # The user's code notes each statement it reaches in the line table, the newest last.
    qtbot.waitUntil(lambda: bool(table._lines) and table._lines[-1] in case.lines)
    qtbot.waitUntil(window.stop_action.isEnabled)  # shown once a run lasts a moment
    with qtbot.waitSignal(window.run_completed, timeout=3_000) as blocker:
        window.stop_action.trigger()
    return blocker.args[0]


@pytest.mark.parametrize("case", [BY_ID[name] for name in SHOWN], ids=SHOWN)
def test_window_shows_the_error_and_stays_responsive(window, qtbot, case: Case):
    width = window.width()
    if case.kind == ENDLESS:
        outcome = run_until_stopped(window, qtbot, case)
    else:
        outcome = run_in(window, qtbot, case.code)
    error = outcome.result.error
    assert error is not None
    assert error.line in case.lines

    assert window.editor.toPlainText() == case.code
    assert window.status.text() == error.headline
    assert window.status.text().startswith(f"line {error.line}: ")
    assert window.editor._error_line == error.line
    if case.kind == ENDLESS:
        assert f"Interrupted at line {error.line}" in window.output.toPlainText()
    else:
        red = text_in_color(window, RED)
        assert f"line {error.line}" in red
        assert any(phrase in red for phrase in case.messages)
        assert len(red) < 10_000
    # A line of 10**6 characters takes the pane seconds to lay out, freezing the window.
    assert longest_line(window.output) <= MAX_LINE + 1
    # A long headline in the status bar must not widen the window.
    assert window.width() == width
    assert window.run_action.isEnabled()

    following = run_in(window, qtbot, "ok = 1 + 1\nok")
    assert following.result.error is None
    assert following.result.display == "2"
    assert window.output.toPlainText().rstrip().endswith("2")
    assert window.status.text().startswith("Ran in")


def test_read_script_refuses_binary_and_non_utf8_files(tmp_path):
    from autograd_playground.core.session.session import SessionError
    from autograd_playground.core.session.session import read_text as read_script

    image = tmp_path / "picture.py"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SessionError, match=r"picture\.py is not UTF-8 text \(byte 0x89 at"):
        read_script(image)
    binary = tmp_path / "data.py"
    binary.write_bytes(b"x = 1\x00\x00\x02")
    with pytest.raises(SessionError, match=r"data\.py looks like a binary file"):
        read_script(binary)
    latin = tmp_path / "latin.py"
    latin.write_bytes("x = 'café'\n".encode("latin-1"))
    with pytest.raises(SessionError, match=r"latin\.py is not UTF-8 text"):
        read_script(latin)
    with_bom = tmp_path / "bom.py"
    with_bom.write_bytes("x = 'café'\n".encode("utf-8-sig"))
    assert read_script(with_bom) == "x = 'café'\n"
