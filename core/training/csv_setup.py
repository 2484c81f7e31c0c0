"""What the CSV task trains on, as a session keeps it: a file's path and its columns.

Plain values only (no NumPy, no torch): the lab's settings hold one, and the window
reads them long before torch has loaded; core/training/csv_data.py reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTO, REGRESSION, CLASSIFICATION = "auto", "regression", "classification"
KINDS = (AUTO, REGRESSION, CLASSIFICATION)
LINEAR, MLP = "linear", "mlp"
MODELS = (LINEAR, MLP)


@dataclass(frozen=True)
class CsvSetup:
    """What the lab trains on: a file's path, its feature and target columns, the
    kind of target and the model. A session keeps this, never the data."""

    path: str
    features: tuple[str, ...]
    target: str
    kind: str = AUTO
    model: str = LINEAR

    def as_json(self) -> dict:
        """The setup as plain JSON values, as a session file keeps it."""
        return {
            "path": self.path,
            "features": list(self.features),
            "target": self.target,
            "kind": self.kind,
            "model": self.model,
        }

    @classmethod
    def from_json(cls, value: object) -> CsvSetup | None:
        """The setup ``value`` (a session file's JSON) describes; None if it is not one."""
        if not isinstance(value, dict) or set(value) - set(cls.__dataclass_fields__):
            return None
        path, features, target = value.get("path"), value.get("features"), value.get("target")
        kind, model = value.get("kind", AUTO), value.get("model", LINEAR)
        texts = isinstance(path, str) and path and isinstance(target, str)
        if not texts or not isinstance(features, list) or not features:
            return None
        if not all(isinstance(name, str) for name in features):
            return None
        if kind not in KINDS or model not in MODELS:
            return None
        return cls(path, tuple(features), target, kind, model)
