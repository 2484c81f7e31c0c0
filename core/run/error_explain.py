"""Explain an error raised by the user's code, when it is one the playground knows."""

from __future__ import annotations

import sys

from autograd_playground.core.run.error_explanation import ErrorExplanation
from autograd_playground.core.run.failing_expression import failing_site


def explain_error(exc: BaseException) -> ErrorExplanation | None:
    """Return why ``exc`` happened, in the learner's terms, or None if not sure.

    Only torch's RuntimeErrors are explained; the analysis reads the failing frame and
    never runs the user's code, and any trouble in it means no explanation, never a
    second error.
    """
    if not isinstance(exc, RuntimeError) or "torch" not in sys.modules:
        return None
    try:
        site = failing_site(exc)
        if site is None:
            return None
        from autograd_playground.core.run.autograd_errors import explain_autograd_error
        from autograd_playground.core.run.shape_errors import explain_shape_error

        message = str(exc)
        return explain_autograd_error(site, message) or explain_shape_error(site, message)
    except Exception:  # an explanation must never hide the error itself
        return None
