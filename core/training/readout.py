"""The lab's numbers as text: the progress line and the parameters' readout.

Qt-free, and called once a frame on the GUI thread, which the training thread
shares the GIL with: the formatting is written out rather than left to numpy's
array printer.
"""

from __future__ import annotations

import math

import numpy as np

from autograd_playground.core.i18n.catalog import translate
from autograd_playground.core.training.halt import loss_text
from autograd_playground.core.training.metrics import MetricsBatch


def progress_text(batch: MetricsBatch, language: str) -> str:
    """The progress line for ``batch``: step, epoch, device, loss and speed."""
    step = f"{batch.step}/{batch.total_steps}"
    position = translate("step {step}", language, step=step)
    if batch.steps_per_epoch > 1:  # else a step is an iteration, and says it all
        epoch = f"{batch.epoch}/{batch.total_steps // batch.steps_per_epoch}"
        position += " · " + translate("epoch {epoch}", language, epoch=epoch)
    speed = ""
    if batch.steps_per_s is not None:
        rate = rate_text(batch.steps_per_s)
        speed = translate(" · {rate} steps/s", language, rate=rate)
    return f"{position} · {batch.device}{_loss_part(batch, language)}{speed}"


def _loss_part(batch: MetricsBatch, language: str) -> str:
    """The loss the progress line ends on, with the step of a halt's loss."""
    if batch.halt_step is not None:
        # The loss the halt's message names, at its step: the report's last loss is
        # a later step's, past the first that was not finite.
        loss, at = loss_text(batch.halt_loss), batch.halt_step
        return translate(" · loss {loss} at step {at}", language, loss=loss, at=at)
    loss = loss_text(batch.losses[-1]) if len(batch.losses) else ""
    return translate(" · loss {loss}", language, loss=loss) if loss else ""


def rate_text(steps_per_s: float) -> str:
    """8,120 or 12.5: whole steps where there are many, three digits where few."""
    return f"{steps_per_s:,.0f}" if steps_per_s >= 100 else f"{steps_per_s:.3g}"


def estimate_parts(batch: MetricsBatch, language: str) -> list[list[str]]:
    """The seed's printout: each parameter, its truth and the estimation error."""
    lines = []
    true_word, error_word = translate("true", language), translate("error", language)
    for name, truth in batch.truth.items():
        value = batch.params.get(name)
        if value is None:
            continue
        estimate = np.ravel(value)
        target = np.ravel(truth)
        if estimate.size != target.size:
            continue
        error = target - estimate
        # Where the truth is not the seed's formula's number (noise with a mean adds
        # to it), the line says what it is made of.
        note = batch.truth_notes.get(name)
        made_of = f" = {note.in_language(language)}" if note else ""
        lines.append(
            [
                f"{name} = {numbers_text(estimate)}",
                f"{true_word} {numbers_text(target)}{made_of}",
                f"{error_word} {numbers_text(error)}",
            ]
        )
    return lines


def numbers_text(values: np.ndarray) -> str:
    """``values`` as numpy prints them to 4 decimals: [ 2.0001 -3.3998], [4.2], [3.].

    Written out because np.array2string is slow for a call made six times a frame.
    """
    texts = [number_text(value) for value in values.tolist()]
    if any(text.startswith("-") for text in texts):
        texts = [text if text.startswith("-") else " " + text for text in texts]
    return "[" + " ".join(texts) + "]"


def number_text(value: float) -> str:
    """One number as numpy prints it to 4 decimals: 2.0001, 3., 1.5e-05, nan."""
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-4 or abs(value) >= 1e8):
        return np.format_float_scientific(value, precision=4, trim=".")
    return np.format_float_positional(value, precision=4, trim=".")
