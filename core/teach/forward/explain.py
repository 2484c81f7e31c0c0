"""What a forward step did, in a learner's terms: inputs, output, why it needs grad, what it saved.

Texts mark code with backquotes (`w`); the panel shows those as code.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.i18n.catalog import Message, translate
from autograd_playground.core.teach.forward.steps import ForwardStep, ForwardSteps, where_text

MAX_NAMED_CAUSES = 3


@dataclass(frozen=True)
class ForwardExplanation:
    """The texts of one step, each a paragraph of the pane."""

    heading: str
    where: str
    inputs: list[str]
    output: str
    requires_grad: str
    saved: str


def _shape(shape: tuple[int, ...] | None, language: str) -> str:
    """Return "shape (2, 3)", or "a scalar" for a 0-d tensor."""
    if shape is None:
        return translate("shape unknown", language)
    if not shape:
        return translate("a scalar", language)
    text = "(" + ", ".join(str(size) for size in shape) + ")"
    return translate("shape {shape}", language, shape=text)


def _result_name(steps: ForwardSteps, node: GraphNode) -> str | None:
    """The variable that holds ``node``'s result, when one does."""
    for target in steps.outputs_of(node.id):
        if target.kind == "tensor" and target.name:
            return target.name
    return None


def _input_text(steps: ForwardSteps, node: GraphNode, language: str) -> str:
    if node.kind in ("leaf", "tensor", "saved"):
        shape = _shape(node.shape, language)
        if node.name:
            return translate("`{name}`, {shape}", language, name=node.name, shape=shape)
        return translate("a tensor, {shape}", language, shape=shape)
    shape = _shape(node.output_shape if node.kind == "op" else node.shape, language)
    held = _result_name(steps, node)
    number = steps.appears_at(node.id) + 1
    if held:
        return translate(
            "`{name}` (the result of {op}, step {number}), {shape}",
            language,
            name=held,
            op=node.label,
            number=number,
            shape=shape,
        )
    return translate(
        "the result of {op} (step {number}), {shape}",
        language,
        op=node.label,
        number=number,
        shape=shape,
    )


def _leaves_upstream(steps: ForwardSteps, node: GraphNode) -> list[GraphNode]:
    """The leaves that need grad ``node`` was computed from, nearest inputs first."""
    seen, found, queue = {node.id}, [], deque([node])
    while queue:
        current = queue.popleft()
        for source in steps.inputs_of(current.id):
            if source.id in seen:
                continue
            seen.add(source.id)
            if source.kind == "leaf":
                found.append(source)
            else:
                queue.append(source)
    return found


def _names_list(names: list[str], language: str) -> str:
    quoted = [f"`{name}`" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    separator = translate(", ", language)
    return translate(
        "{first} and {last}", language, first=separator.join(quoted[:-1]), last=quoted[-1]
    )


def requires_grad_text(steps: ForwardSteps, node: GraphNode, language: str) -> str:
    """Why the op's result requires grad: the leaves that need grad it came from."""
    leaves = _leaves_upstream(steps, node)
    names = list(dict.fromkeys(leaf.name for leaf in leaves if leaf.name))
    if not names:
        return translate("It requires grad because a tensor it was computed from does.", language)
    shown = _names_list(names[:MAX_NAMED_CAUSES], language)
    if len(names) > MAX_NAMED_CAUSES:
        return translate(
            "It requires grad because {names} and {count} more do.",
            language,
            names=shown,
            count=len(names) - MAX_NAMED_CAUSES,
        )
    if len(names) == 1:
        return translate("It requires grad because {names} does.", language, names=shown)
    return translate("It requires grad because {names} do.", language, names=shown)


def saved_text(node: GraphNode, language: str) -> str:
    """What the op kept for its backward: tensors with their shapes, and other values."""
    if node.kind == "module":
        return translate("Each op inside the box saved what its own backward needs.", language)
    if node.saved_freed:
        return translate(
            "It saved tensors for backward; a backward pass has freed them since.", language
        )
    parts = [
        translate("`{name}`, {shape}", language, name=name, shape=_shape(shape, language))
        for name, shape in node.saved_shapes.items()
    ]
    parts += [f"`{name}` = {value}" for name, value in node.attributes.items()]
    if not parts:
        return translate("It saved nothing for backward.", language)
    separator = translate("; ", language)
    return translate("Saved for backward: {saved}.", language, saved=separator.join(parts))


def _heading(steps: ForwardSteps, step: ForwardStep, node: GraphNode, language: str) -> str:
    """The op's name; inside a folded box, which op of the box it is."""
    heading = f"{node.label} ({node.op})" if node.op and node.op != node.label else node.label
    if not step.in_box:
        return heading
    box = steps.graph.nodes[step.node_id]
    # The innermost call names the layer that ran the op (a Linear inside a Sequential).
    call = steps.graph.module_calls.get(node.module or "")
    return Message(
        "{module}: {op}, op {number} of {count} in {box}",
        module=call.class_name if call is not None else box.label,
        op=heading,
        number=step.box_done,
        count=step.box_total,
        box=box.name or box.label,
    ).in_language(language)


def explain_step(steps: ForwardSteps, step: ForwardStep, language: str) -> ForwardExplanation:
    """Return the texts that describe ``step`` of ``steps``: inside a folded box, the op
    of the box that ran, with the inputs it took there."""
    node = steps.node(step.op_id or step.node_id)
    inputs = [_input_text(steps, source, language) for source in steps.inputs_of(node.id)]
    shape = node.output_shape if node.kind == "op" else node.shape
    held = _result_name(steps, node)
    if held:
        output = translate(
            "Output: `{name}`, {shape}", language, name=held, shape=_shape(shape, language)
        )
    else:
        output = translate("Output: {shape}", language, shape=_shape(shape, language))
    return ForwardExplanation(
        heading=_heading(steps, step, node, language),
        where=where_text(step, language),
        inputs=inputs,
        output=output,
        requires_grad=requires_grad_text(steps, node, language),
        saved=saved_text(node, language),
    )
