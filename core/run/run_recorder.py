"""What the evaluator asks of a recorder that watches each run of the user's code.

The evaluator runs code and knows nothing of what is recorded around it: a layer above
(the playground) hands it a factory, and the evaluator brackets every run with the
recorder's ``begin`` and ``end``. The recorder is made with the namespace, once torch
is imported, so building an evaluator stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol


class RunRecorder(Protocol):
    """Records something about each run; ``clear`` forgets it all when the namespace resets."""

    def begin(self, run_id: int) -> None: ...

    def end(self) -> None: ...

    def clear(self) -> None: ...


class RecorderFactory(Protocol):
    """Makes a recorder from the user's names and the line of the user's code a grad_fn came
    from."""

    def __call__(
        self,
        names: Callable[[], Mapping[str, Any]],
        line_of: Callable[[Any], int | None],
    ) -> RunRecorder: ...
