"""An error explained in the learner's terms: the failing expression, its operands' shapes
lined up as the rule lines them up, the rule in one sentence and the cure.

Plain data, no torch: it travels from the engine thread to the window, which shows it in
whichever language the interface has then (its sentences are ``Message`` values).
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.catalog import Message, current_language

# The learner's eye goes to the marked dimension first: brackets survive any font.
MARK_LEFT, MARK_RIGHT = "[", "]"


def shape_text(shape: tuple[int, ...]) -> str:
    """Return ``shape`` as the explanations write it: ``(4, 3)``, ``(4)``, ``()``."""
    return "(" + ", ".join(str(size) for size in shape) + ")"


@dataclass(frozen=True)
class OperandRow:
    """One operand as the explanation lines it up.

    ``offset`` is the column of its first dimension (broadcasting right-aligns shorter
    shapes; matmul lines up the inner dimensions); ``marked`` holds the indices of its
    dimensions that break the rule. ``variable`` is True when ``name`` is a plain name
    of the user's namespace, so the graph can draw it feeding the failed operation.
    """

    name: str
    shape: tuple[int, ...]
    offset: int = 0
    marked: tuple[int, ...] = ()
    variable: bool = False
    requires_grad: bool | None = None


@dataclass(frozen=True)
class ErrorExplanation:
    """Why an operation failed: ``rule`` names the rule, ``cure`` says what to do.

    ``fix`` names the one-click fixes the window may offer (see core.teach.code_fixes),
    ``freed`` the graph's ops whose saved tensors a backward pass freed.
    """

    operation: str
    line: int | None
    expression: str
    rule: Message
    operands: tuple[OperandRow, ...] = ()
    cure: Message | None = None
    fixes: tuple[str, ...] = ()
    freed: tuple[str, ...] = ()
    # The tensor the explanation is about, as the code wrote it (the fix edits its call).
    subject: str | None = None

    def aligned_parts(self) -> list[list[tuple[str, bool]]]:
        """Return each operand's row as pieces of text, each True where it is marked:
        the name, then one equally wide cell per column of the rule."""
        if not self.operands:
            return []
        width = max(len(str(size)) for row in self.operands for size in row.shape or (0,))
        cell = width + len(MARK_LEFT) + len(MARK_RIGHT)
        name_width = max(len(row.name) for row in self.operands)
        rows = []
        for row in self.operands:
            parts = [(f"  {row.name.rjust(name_width)}  " + " " * cell * row.offset, False)]
            for index, size in enumerate(row.shape):
                text = str(size).rjust(width)
                if index in row.marked:
                    parts.append((f"{MARK_LEFT}{text}{MARK_RIGHT}", True))
                else:
                    parts.append((f" {text} ", False))
            rows.append(parts)
        return rows

    def aligned_rows(self) -> list[str]:
        """Return one text row per operand, its dimensions in the rule's columns."""
        return ["".join(text for text, _ in parts).rstrip() for parts in self.aligned_parts()]

    def operand_shapes(self, language: str | None = None) -> str:
        """Return "W is (4, 3), h is (4)"."""
        language = language or current_language()
        return ", ".join(
            Message("{name} is {shape}", name=row.name, shape=shape_text(row.shape)).in_language(
                language
            )
            for row in self.operands
        )

    def summary(self, language: str | None = None) -> str:
        """Return one line: the expression, its operands' shapes and the rule."""
        language = language or current_language()
        parts = [self.expression] if self.expression else []
        if self.operands:
            parts.append(self.operand_shapes(language))
        rule = self.rule.in_language(language)
        if self.cure is None:
            parts.append(rule.rstrip("."))
        else:
            parts.append(f"{rule} {self.cure.in_language(language).rstrip('.')}")
        return ": ".join(parts)

    def text(self, language: str | None = None) -> str:
        """Return the explanation as the output pane shows it, several lines."""
        language = language or current_language()
        if self.line is not None:
            where = Message("Why line {line} failed:", line=self.line).in_language(language)
        else:
            where = Message("Why it failed:").in_language(language)
        if self.expression:
            where += " " + self.expression
        lines = [where, *self.aligned_rows()]
        lines.append(self.rule.in_language(language))
        if self.cure is not None:
            lines.append(Message("Cure: {cure}", cure=self.cure).in_language(language))
        return "\n".join(lines)
