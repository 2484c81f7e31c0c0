"""The lab's settings as plain values: their defaults, their ranges, and the rules a
session file's values must follow before the lab shows them.

Qt-free: the lab's form shows a LabSettings and reads one back; a session file
keeps one as JSON (``as_json``); ``check_settings`` says which of a file's values
the form can take and why it leaves the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.catalog import (
    CSV_INFO,
    CSV_TASK,
    TASK_INFOS,
    USER_INFO,
    USER_TASK,
    TaskInfo,
    TrainingConfig,
    default_config,
)
from autograd_playground.core.training.classifier_settings import (
    ClassifierSettings,
    check_classifier,
)
from autograd_playground.core.training.csv_setup import CsvSetup
from autograd_playground.core.training.pacing import DEFAULT_SPEED, SPEEDS, is_speed

# The whole numbers' ranges, as the form's fields offer them. A batch size of 0
# is the lab's "whole data set".
WHOLE_NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "batch_size": (0, 100_000),
    "length": (1, 10_000_000),
    "seed": (0, 2**31 - 1),
}
# The learning rates the form's field takes, and the decimals it keeps.
LR_RANGE = (1e-12, 1e6)
LR_DECIMALS = 12


def task_info(key: str) -> TaskInfo:
    """Return the task ``key`` names: a seed task, the learner's CSV data or own model."""
    if key == CSV_TASK:
        return CSV_INFO
    return USER_INFO if key == USER_TASK else TASK_INFOS[key]


def task_keys() -> list[str]:
    """The tasks the lab offers, in the order it lists them: the seeds', then the learner's."""
    return [*TASK_INFOS, CSV_TASK, USER_TASK]


def lr_text(lr: float) -> str:
    """A task's own learning rate as the form shows it: 0.03, 1e-06."""
    return f"{lr:g}"


def parse_lr(text: str, task: str) -> float:
    """The learning rate the form's ``text`` says; the task's own where it says none."""
    try:
        return float(text)
    except ValueError:
        return task_info(task).lr


@dataclass
class LabSettings:
    """Everything the lab's form sets: the run's settings and how it is shown."""

    task: str
    lr: float
    batch_size: int  # 0: the whole data set; unused by full-batch tasks
    length: int  # epochs for batched tasks, iterations for full-batch ones
    optimizer: str
    seed: int = 0
    follow_graph: bool = False
    speed: str | int = field(default=DEFAULT_SPEED)
    csv: CsvSetup | None = None  # the file and columns of the CSV task, once chosen
    # A classifier task's data and network (any other task keeps, and ignores, them).
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)

    @classmethod
    def for_task(cls, task: str, speed: str | int = DEFAULT_SPEED) -> LabSettings:
        """The seed's own settings for ``task`` (the lab's, for the learner's own)."""
        seed = default_config(task)
        return cls(
            task=task,
            lr=seed.lr,
            batch_size=seed.batch_size,
            length=seed.length,
            optimizer=seed.optimizer,
            speed=speed,
            classifier=seed.classifier or ClassifierSettings(),
        )

    def config(self, device: str) -> TrainingConfig:
        """The run these settings ask for, on ``device``."""
        return TrainingConfig(
            task=self.task,
            lr=self.lr,
            batch_size=self.batch_size,
            length=self.length,
            optimizer=self.optimizer,
            seed=self.seed,
            device=device,
            classifier=self.classifier if task_info(self.task).classifier else None,
        )

    def as_json(self) -> dict:
        """The settings as plain JSON values, as a session file keeps them (a classifier
        task's data and network too)."""
        values = {
            "task": self.task,
            "lr": self.lr,
            "batch_size": self.batch_size,
            "length": self.length,
            "optimizer": self.optimizer,
            "seed": self.seed,
            "follow_graph": self.follow_graph,
            "speed": self.speed,
        }
        if task_info(self.task).classifier:
            values["classifier"] = self.classifier.as_json()
        if self.csv is not None:
            values["csv"] = self.csv.as_json()
        return values


def is_batched(task: str) -> bool:
    """Whether ``task`` is cut into minibatches, so that its length counts epochs."""
    return task_info(task).batch_size is not None


@dataclass(frozen=True)
class SettingProblem:
    """Why one of a session file's values was left as the lab had it."""

    message: Message

    def message_in(self, language: str) -> str:
        return self.message.in_language(language)


@dataclass
class CheckedSettings:
    """A session file's settings sorted: those the lab takes, normalised, and why
    it leaves the others. ``values`` holds only the keys given and good, the task
    first: it decides which optimizers are offered and resets the others."""

    values: dict[str, object] = field(default_factory=dict)
    problems: list[SettingProblem] = field(default_factory=list)


def check_settings(given: dict, task_now: str) -> CheckedSettings:
    """Sort the settings in ``given`` (a session file's JSON) against the lab's rules;
    ``task_now`` is the task the lab shows, whose optimizers count where ``given``
    names no good task. A value that is None is not given."""
    given = dict(given)
    checked = CheckedSettings()
    task = given.pop("task", None)
    _keep(checked, "task", task, _task_problem(task))
    optimizer = given.pop("optimizer", None)
    optimizers_of = checked.values.get("task", task_now)
    _keep(checked, "lr", *_lr_value(given.pop("lr", None)))
    for key in WHOLE_NUMBER_RANGES:
        _keep(checked, key, *_whole_number(key, given.pop(key, None)))
    _keep(checked, "optimizer", optimizer, _optimizer_problem(optimizer, optimizers_of))
    _keep(checked, "follow_graph", *_follow_value(given.pop("follow_graph", None)))
    _keep(checked, "speed", *_speed_value(given.pop("speed", None)))
    _keep(checked, "csv", *_csv_value(given.pop("csv", None)))
    classifier = given.pop("classifier", None)
    if classifier is not None:
        _keep_classifier(checked, classifier, checked.values.get("task", task_now))
    checked.problems.extend(
        SettingProblem(Message("the setting {key!r} is unknown", key=key)) for key in given
    )
    return checked


def _keep(
    checked: CheckedSettings, key: str, value: object, problem: SettingProblem | None
) -> None:
    """Note ``value`` for ``key`` as taken, or its problem; a value of None was not given."""
    if value is None:
        return
    if problem is None:
        checked.values[key] = value
    else:
        checked.problems.append(problem)


def _keep_classifier(checked: CheckedSettings, given: object, task: str) -> None:
    """Note the classifier settings' good values, on the task's defaults, and the others'
    problems. ``values["classifier"]`` holds all of them: the form shows them at once."""
    base = task_info(task).classifier or ClassifierSettings()
    settings, problems = check_classifier(given, base)
    checked.problems.extend(SettingProblem(problem) for problem in problems)
    if settings is not None:
        checked.values["classifier"] = settings


def _task_problem(task: object) -> SettingProblem | None:
    if isinstance(task, str) and task in task_keys():
        return None
    return SettingProblem(Message("the task {task!r} is not one of the lab's", task=task))


def _optimizer_problem(optimizer: object, task: str) -> SettingProblem | None:
    if isinstance(optimizer, str) and optimizer in task_info(task).optimizers:
        return None
    return SettingProblem(
        Message("the optimizer {optimizer!r} is not offered for this task", optimizer=optimizer)
    )


def _lr_value(lr: object) -> tuple[object, SettingProblem | None]:
    if _is_number(lr) and 0 < lr < float("inf"):
        return float(lr), None
    problem = SettingProblem(Message("the learning rate {lr!r} is not a positive number", lr=lr))
    return lr, problem


def _whole_number(key: str, value: object) -> tuple[object, SettingProblem | None]:
    """``value`` as a whole number in ``key``'s range (JSON may write 10 as 10.0)."""
    low, high = WHOLE_NUMBER_RANGES[key]
    if _is_number(value) and float(value).is_integer() and low <= value <= high:
        return int(value), None
    problem = SettingProblem(
        Message(
            "{key} {value!r} is not a whole number from {low} to {high}",
            key=key,
            value=value,
            low=low,
            high=high,
        )
    )
    return value, problem


def _follow_value(follow: object) -> tuple[object, SettingProblem | None]:
    if isinstance(follow, bool):
        return follow, None
    problem = SettingProblem(Message("follow_graph {follow!r} is not true or false", follow=follow))
    return follow, problem


def _speed_value(speed: object) -> tuple[object, SettingProblem | None]:
    """``speed`` as the lab's own entry for it (JSON may write 1000 as 1000.0)."""
    if is_speed(speed):
        return SPEEDS[SPEEDS.index(speed)], None
    problem = SettingProblem(Message("the speed {speed!r} is not one of the lab's", speed=speed))
    return speed, problem


def _csv_value(value: object) -> tuple[object, SettingProblem | None]:
    """``value`` as the CSV task's setup, while its file is still there to train on."""
    if value is None:
        return None, None
    setup = CsvSetup.from_json(value)
    if setup is None:
        return value, SettingProblem(
            Message("the CSV choice {value!r} is not a file with its columns", value=value)
        )
    if not Path(setup.path).is_file():
        problem = SettingProblem(
            Message(
                "the CSV file {path} is gone (moved, renamed or deleted): choose it "
                "again with Data… in the lab",
                path=setup.path,
            )
        )
        return setup.as_json(), problem
    return setup.as_json(), None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
