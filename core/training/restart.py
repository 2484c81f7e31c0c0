"""Restarting a run from the same start, to compare settings.

The seed fixes a task's data, its initial weights and its batches' order: a run
restarted on the last run's seed starts where that one did, whatever the seed
field says now, and trains with the other settings the form shows now (a new
learning rate, say). The lab keeps what the last run trained with, so that its
loss curve, kept as a faint line, is labelled with what the new run changed.

Qt-free: the lab records a run as it starts and as its rate or optimizer change
mid-run, and asks here what a restart runs with and what the legend names.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from autograd_playground.core.training.classifier_settings import ClassifierSettings
from autograd_playground.core.training.settings import LabSettings, is_batched, task_info


@dataclass
class RunRecord:
    """What a run trained with: its settings as it started, and every learning rate
    and optimizer it used, in order (both can change while it runs)."""

    settings: LabSettings
    lrs: list[float] = field(default_factory=list)
    optimizers: list[str] = field(default_factory=list)

    @classmethod
    def started(cls, settings: LabSettings) -> RunRecord:
        """The record of a run that started with ``settings``."""
        return cls(settings, [settings.lr], [settings.optimizer])

    def note_lr(self, lr: float) -> None:
        """The run trains at ``lr`` from now on."""
        if lr != self.lrs[-1]:
            self.lrs.append(lr)

    def note_optimizer(self, optimizer: str) -> None:
        """The run updates with ``optimizer`` from now on."""
        if optimizer != self.optimizers[-1]:
            self.optimizers.append(optimizer)


def can_restart(last: RunRecord | None, task_shown: str) -> bool:
    """Whether a restart has a start to go back to: a last run, of the task shown."""
    return last is not None and last.settings.task == task_shown


def restart_settings(shown: LabSettings, last: RunRecord) -> LabSettings:
    """The settings a restart trains with: those ``shown``, on the last run's seed,
    which gives it the same data, initial weights and batch order."""
    return replace(shown, seed=last.settings.seed)


@dataclass(frozen=True)
class ComparedSettings:
    """What the legend says of the previous run: its learning rates always; its
    optimizers and batch size only where the new run's differ (None: not named)."""

    lrs: tuple[float, ...]
    optimizers: tuple[str, ...] | None = None
    batch_size: int | None = None
    # A classifier's network and data, each where the new run's differ.
    network: ClassifierSettings | None = None
    data: ClassifierSettings | None = None


def compared_settings(previous: RunRecord, new: LabSettings) -> ComparedSettings:
    """What tells the ``previous`` run's curve from that of a run with ``new`` settings."""
    optimizers = tuple(previous.optimizers)
    batch_size = previous.settings.batch_size
    old, now = previous.settings.classifier, new.classifier
    classifier = task_info(new.task).classifier is not None
    network = ("hidden_layers", "neurons", "activation")
    data = ("points", "noise", "test_percent")
    return ComparedSettings(
        lrs=tuple(previous.lrs),
        optimizers=None if optimizers == (new.optimizer,) else optimizers,
        batch_size=batch_size if is_batched(new.task) and batch_size != new.batch_size else None,
        network=old if classifier and _differ(old, now, network) else None,
        data=old if classifier and _differ(old, now, data) else None,
    )


def _differ(old: ClassifierSettings, new: ClassifierSettings, keys: tuple[str, ...]) -> bool:
    return any(getattr(old, key) != getattr(new, key) for key in keys)
