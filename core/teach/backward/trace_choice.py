"""Choose the backward pass to step through: the user's own recorded one, else one made now."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from autograd_playground.core.i18n.catalog import Message, text_in
from autograd_playground.core.teach.backward.trace import (
    BackwardTrace,
    TraceUnavailable,
    current_root_key,
    live_trace,
    resolve_node_ids,
)

NO_ROOTS_MESSAGE = Message(
    "No tensor with a grad_fn yet. Compute something from a "
    "tensor made with requires_grad=True, run the code, then "
    "step through its backward pass here."
)


@dataclass(frozen=True)
class RootChoice:
    """A root to step back from: a variable, or a recorded backward() whose root has no name."""

    key: str
    label: Message | str  # a plain string where it is the variable's name alone
    recorded: bool = False

    def label_in(self, language: str) -> str:
        """Return how the root is listed, in ``language``."""
        return text_in(self.label, language)


@dataclass(frozen=True)
class TraceChoice:
    """What the stepper shows: the roots to choose from, the one chosen, its trace or why none."""

    choices: tuple[RootChoice, ...]
    key: str | None
    trace: BackwardTrace | None
    message: Message | None = None

    def message_in(self, language: str) -> str | None:
        """Return why there is no trace, in ``language``; None when there is one."""
        return text_in(self.message, language)


def _current_recordings(
    names: Mapping[str, Any], recorded: Sequence[BackwardTrace]
) -> dict[str, BackwardTrace]:
    """Map each choice key to its newest recorded trace that still describes the namespace."""
    current: dict[str, BackwardTrace] = {}
    for trace in recorded:
        if trace.root_name is None:
            current[trace.root] = trace
        elif trace.root_key == current_root_key(names, trace.root_name):
            current[trace.root_name] = trace
    return current


def root_choices(
    names: Mapping[str, Any],
    recorded: Sequence[BackwardTrace],
    line_of: Callable[[Any], int | None] | None = None,
) -> list[RootChoice]:
    """Return every named tensor with a grad_fn, in the order the code made them, then
    the recorded backward() calls whose root has no name."""
    recordings = _current_recordings(names, recorded)
    tensors = [
        (name, value)
        for name, value in names.items()
        if isinstance(value, torch.Tensor) and value.grad_fn is not None
    ]

    def made_at(item: tuple[str, torch.Tensor]) -> tuple[int, str]:
        line = line_of(item[1].grad_fn) if line_of is not None else None
        return (line if line is not None else 1 << 30, item[0])

    choices = []
    for name, _ in sorted(tensors, key=made_at):
        trace = recordings.get(name)
        label: Message | str = name
        if trace:
            label = Message("{name}   (your backward(), line {line})", name=name, line=trace.line)
        choices.append(RootChoice(name, label, trace is not None))
    for key, trace in recordings.items():
        if trace.root_name is None:
            label = key  # "backward() on line None": no line to name
            if trace.line is not None:  # the key is "backward() on line {line}"
                label = Message("backward() on line {line}", line=trace.line)
            choices.append(RootChoice(key, label, True))
    return choices


def choose_trace(
    names: Mapping[str, Any],
    recorded: Sequence[BackwardTrace],
    wanted: str | None = None,
    *,
    line_of: Callable[[Any], int | None] | None = None,
    roots: Sequence[str] | None = None,
) -> TraceChoice:
    """Return the trace for root ``wanted`` (default: the last recorded, else the last made).

    A backward() the user's code ran on that very tensor is preferred; else the
    pass is run now with autograd.grad, which needs the graph's saved tensors.
    Node ids are those of ``extract_graph(names, roots)``.
    """
    choices = tuple(root_choices(names, recorded, line_of))
    if not choices:
        return TraceChoice((), None, None, NO_ROOTS_MESSAGE)
    keys = [choice.key for choice in choices]
    recordings = _current_recordings(names, recorded)
    key = wanted if wanted in keys else _default_key(keys, recorded, recordings)
    trace = recordings.get(key)
    if trace is None:
        try:
            trace = live_trace(names, key, line_of)
        except TraceUnavailable as exc:
            return TraceChoice(choices, key, None, _why(key, exc, recorded))
    return TraceChoice(choices, key, resolve_node_ids(trace, names, roots))


def _default_key(
    keys: list[str], recorded: Sequence[BackwardTrace], recordings: Mapping[str, BackwardTrace]
) -> str:
    for trace in reversed(recorded):
        key = trace.root_name or trace.root
        if recordings.get(key) is trace:
            return key
    named = [key for key in keys if key not in recordings or recordings[key].root_name]
    return named[-1] if named else keys[-1]


def _why(key: str, exc: TraceUnavailable, recorded: Sequence[BackwardTrace]) -> Message:
    """Return why there is no trace."""
    older = [trace for trace in recorded if trace.root_name == key]
    if older:
        return Message(
            "{reason} (The backward() recorded on line {line} ran on an "
            "earlier {key}, not on the one there is now.)",
            reason=exc.message,
            line=older[-1].line,
            key=key,
        )
    return exc.message
