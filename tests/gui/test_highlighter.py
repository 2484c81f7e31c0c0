"""The editor's colours: a triple-quoted string ends where its closing quotes are."""

from PySide6.QtGui import QTextDocument

from autograd_playground.gui.appearance.pane_palettes import LIGHT_SYNTAX
from autograd_playground.gui.panes.highlighter import PythonHighlighter


def colours_of_line(code: str, line: int) -> set[str]:
    document = QTextDocument(code)
    highlighter = PythonHighlighter(document)
    highlighter.rehighlight()
    block = document.findBlockByNumber(line)
    return {span.format.foreground().color().name() for span in block.layout().formats()}


def test_code_after_a_docstring_closed_at_a_line_start_is_not_string(qapp):
    code = '"""Module notes: don\'t run twice.\n"""\nx = 2\n'
    colours = colours_of_line(code, 2)
    assert LIGHT_SYNTAX["string"] not in colours
    assert LIGHT_SYNTAX["number"] in colours


def test_a_docstring_with_apostrophes_stays_one_string(qapp):
    code = 'def f():\n    """It\'s long,\n    isn\'t it\n    """\n    return 1\n'
    assert colours_of_line(code, 2) == {LIGHT_SYNTAX["string"]}
    assert LIGHT_SYNTAX["string"] not in colours_of_line(code, 4)
