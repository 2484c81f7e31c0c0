"""The lab's tasks as data: their names, texts and defaults, with no torch in sight.

The window lists the tasks and reads their defaults while torch still loads on
another thread; core/training/tasks.py builds and steps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.classifier_settings import ClassifierSettings

MANUAL = "manual"
OPTIMIZERS = (MANUAL, "sgd", "momentum", "adam")


@dataclass
class TrainingConfig:
    """What the learner set: the task, its hyper-parameters, the seed and the device."""

    task: str = "linreg_scratch"
    lr: float = 0.03
    batch_size: int = 10
    length: int = 3  # epochs for batched tasks, iterations for full-batch ones
    optimizer: str = MANUAL
    seed: int = 0
    device: str = "cpu"
    # A classifier task's data and network; None: the task's own defaults.
    classifier: ClassifierSettings | None = None


@dataclass(frozen=True)
class TaskInfo:
    """A task's name, text, defaults and what it can show."""

    key: str
    title: Message
    description: Message
    lr: float
    batch_size: int | None  # None: every step uses the whole data set
    length: int
    optimizers: tuple[str, ...]
    curve: bool = False  # a 1-D fit drawn over its data
    examples: int = 0  # the data set's size, for a task cut into minibatches
    # A classifier task's default data and network, and the toy data set it learns.
    classifier: ClassifierSettings | None = None
    dataset: str = ""

    def title_in(self, language: str) -> str:
        """Return the title in ``language``."""
        return self.title.in_language(language)

    def description_in(self, language: str) -> str:
        """Return the description in ``language``."""
        return self.description.in_language(language)


def batch_rows(batch_size: int, rows: int) -> int:
    """The rows one step takes: ``batch_size``, or all ``rows`` for 0, the lab's
    "whole data set" (and for a batch bigger than the data)."""
    return batch_size if 0 < batch_size < rows else rows


def planned_steps(info: TaskInfo, length: int, batch_size: int) -> int | None:
    """The steps ``length`` epochs (or iterations) make: None where the data's size
    is not known before training (the learner's own data, cut into batches)."""
    if info.batch_size is None:  # full-batch: ``length`` counts iterations
        return length
    if not info.examples:
        return length if batch_size == 0 else None
    return length * -(-info.examples // batch_rows(batch_size, info.examples))


LINREG_EXAMPLES = 1000
_TORCH_OPTIMIZERS = OPTIMIZERS

TASK_INFOS: dict[str, TaskInfo] = {
    info.key: info
    for info in (
        TaskInfo(
            "linreg_scratch",
            Message("Linear regression from scratch"),
            Message(
                "d2l 3.2: y = Xw + b with w = [2, -3.4], b = 4.2; minibatch SGD written by hand."
            ),
            lr=0.03,
            batch_size=10,
            length=3,
            examples=LINREG_EXAMPLES,
            optimizers=_TORCH_OPTIMIZERS,
        ),
        TaskInfo(
            "linreg_concise",
            Message("Linear regression with nn"),
            Message("d2l 3.3: nn.Linear(2, 1), nn.MSELoss and optim.SGD on the same data."),
            lr=0.03,
            batch_size=10,
            length=3,
            examples=LINREG_EXAMPLES,
            optimizers=("sgd", "momentum", "adam", MANUAL),
        ),
        TaskInfo(
            "quadratic",
            Message("Quadratic fit y = 3x² + 2"),
            Message(
                "Seed 001: 100 points in [-1, 1], y = 3x² + 2 plus noise "
                "uniform on [0, 0.2]; fit y = w·x² + b with manual updates. "
                "The noise adds 0.1 on average: the best b is 2.1."
            ),
            lr=0.01,
            batch_size=None,
            length=800,
            optimizers=_TORCH_OPTIMIZERS,
            curve=True,
        ),
        TaskInfo(
            "two_layer_numpy",
            Message("Two-layer net: NumPy"),
            Message("Seed 004: n=64, 1000→100→10, ReLU, backprop written by hand in NumPy."),
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=(MANUAL,),
        ),
        TaskInfo(
            "two_layer_tensor",
            Message("Two-layer net: tensors, manual backprop"),
            Message("Seed 004: the same net with torch tensors and hand-written gradients."),
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=(MANUAL,),
        ),
        TaskInfo(
            "two_layer_autograd",
            Message("Two-layer net: autograd"),
            Message("Seed 004: the same net, gradients from loss.backward()."),
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=_TORCH_OPTIMIZERS,
        ),
    )
}


def _classifier(
    key: str, title: Message, description: Message, length: int, settings: ClassifierSettings
) -> TaskInfo:
    """A classifier task on the toy data set ``key``: full batch, Adam by default."""
    return TaskInfo(
        f"classify_{key}",
        title,
        description,
        lr=0.03,
        batch_size=None,
        length=length,
        optimizers=("adam", "sgd", "momentum"),
        classifier=settings,
        dataset=key,
    )


_CLASSIFIER_INFOS = (
    _classifier(
        "blobs",
        Message("Classify: two blobs"),
        Message(
            "Two Gaussian blobs, one a class: an MLP learns where one ends. "
            "Cross-entropy on every training point each step; the heat "
            "map is the model's P(class 1)."
        ),
        length=300,
        settings=ClassifierSettings(hidden_layers=1, neurons=4),
    ),
    _classifier(
        "circles",
        Message("Classify: circles"),
        Message(
            "A disc inside a ring: no straight line parts them. "
            "Cross-entropy on every training point each step; the heat "
            "map is the model's P(class 1)."
        ),
        length=500,
        settings=ClassifierSettings(hidden_layers=1, neurons=8),
    ),
    _classifier(
        "xor",
        Message("Classify: XOR"),
        Message(
            "Class 1 where x and y have the same sign. "
            "Cross-entropy on every training point each step; the heat "
            "map is the model's P(class 1)."
        ),
        length=500,
        settings=ClassifierSettings(hidden_layers=2, neurons=8),
    ),
    _classifier(
        "spirals",
        Message("Classify: two spirals"),
        Message(
            "Two spirals wound one inside the other: it takes a deeper net. "
            "Cross-entropy on every training point each step; the heat "
            "map is the model's P(class 1)."
        ),
        length=1000,
        settings=ClassifierSettings(hidden_layers=3, neurons=16),
    ),
)
TASK_INFOS.update((info.key, info) for info in _CLASSIFIER_INFOS)

USER_TASK = "user"
USER_INFO = TaskInfo(
    USER_TASK,
    Message("Your own model (from the editor)"),
    Message(
        "Define model (an nn.Module, or a function of params), X, y "
        "and optionally loss_fn and true_params in the editor; the "
        "lab trains them."
    ),
    # Adam at 0.05 fits the README's example (a small tanh net on y = 3x² + 2) within
    # the 200 epochs; plain SGD at 0.01 stays near a flat line there.
    lr=0.05,
    batch_size=0,
    length=200,
    optimizers=("adam", "sgd", "momentum"),
)


CSV_TASK = "csv"
CSV_INFO = TaskInfo(
    CSV_TASK,
    Message("Your data (CSV)"),
    Message(
        "A CSV file of yours: choose its feature and target columns with Data…; "
        "a linear model or a small MLP learns the target from the features, both "
        "standardised (a loss of 1 is what guessing the mean scores). A target of "
        "a few labels is learnt as classes, with cross-entropy."
    ),
    lr=0.05,
    batch_size=32,
    length=50,
    optimizers=("adam", "sgd", "momentum"),
)


def default_config(task: str) -> TrainingConfig:
    """Return the seed's own settings for ``task`` (the lab's, for the learner's own)."""
    own = {USER_TASK: USER_INFO, CSV_TASK: CSV_INFO}
    info = own[task] if task in own else TASK_INFOS[task]
    return TrainingConfig(
        task=task,
        lr=info.lr,
        batch_size=info.batch_size or 0,
        length=info.length,
        optimizer=info.optimizers[0],
        classifier=info.classifier,
    )
