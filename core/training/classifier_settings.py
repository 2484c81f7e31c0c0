"""A classifier task's own settings: its data and its network, with their ranges.

Torch-free: the lab's form shows them, a session file keeps them, and the
classifier task builds its data and its MLP from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from autograd_playground.core.i18n.catalog import Message

ACTIVATIONS = ("tanh", "relu", "sigmoid")
# The whole numbers' ranges, as the form's fields offer them.
CLASSIFIER_RANGES: dict[str, tuple[int, int]] = {
    "points": (20, 5000),
    "test_percent": (5, 50),
    "hidden_layers": (1, 6),
    "neurons": (1, 32),
}
NOISE_RANGE = (0.0, 1.0)


@dataclass(frozen=True)
class ClassifierSettings:
    """The data (points, noise, the share kept for testing) and the MLP (depth, width,
    activation) of a classifier task."""

    points: int = 400
    noise: float = 0.1
    test_percent: int = 20
    hidden_layers: int = 2
    neurons: int = 8
    activation: str = "tanh"

    def as_json(self) -> dict:
        """The settings as plain JSON values."""
        return asdict(self)


def check_classifier(
    given: object, base: ClassifierSettings
) -> tuple[ClassifierSettings | None, list[Message]]:
    """``base`` with the good values of ``given`` (a session file's JSON) in it, and why
    each other value was left; None where ``given`` is not a table of values at all."""
    if not isinstance(given, dict):
        return None, [Message("the classifier settings {given!r} are not a table", given=given)]
    values, problems = {}, []
    for key, value in given.items():
        problem = _value_problem(key, value)
        if problem is None:
            values[key] = float(value) if key == "noise" else value
            if key in CLASSIFIER_RANGES:
                values[key] = int(value)
        else:
            problems.append(problem)
    return replace(base, **values), problems


def _value_problem(key: str, value: object) -> Message | None:
    """Why ``value`` cannot be the classifier setting ``key``; None where it can."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if key in CLASSIFIER_RANGES:
        low, high = CLASSIFIER_RANGES[key]
        if number and float(value).is_integer() and low <= value <= high:
            return None
        return Message(
            "{key} {value!r} is not a whole number from {low} to {high}",
            key=key,
            value=value,
            low=low,
            high=high,
        )
    if key == "noise":
        low, high = NOISE_RANGE
        if number and low <= value <= high:
            return None
        return Message("the noise {value!r} is not a number from 0 to 1", value=value)
    if key == "activation":
        if value in ACTIVATIONS:
            return None
        return Message("the activation {value!r} is not one of the lab's", value=value)
    return Message("the setting {key!r} is unknown", key=key)
