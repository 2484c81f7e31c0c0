"""The lab's tasks as data: their names, texts and defaults, with no torch in sight.

The window lists the tasks and reads their defaults while torch still loads on
another thread; core/training/tasks.py builds and steps them.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class TaskInfo:
    """A task's name, text, defaults and what it can show.

    ``title`` and ``description`` are English; ``title_zh`` and ``description_zh``
    the Simplified Chinese the lab shows when the app speaks Chinese.
    """

    key: str
    title: str
    description: str
    lr: float
    batch_size: int | None  # None: every step uses the whole data set
    length: int
    optimizers: tuple[str, ...]
    curve: bool = False  # a 1-D fit drawn over its data
    examples: int = 0  # the data set's size, for a task cut into minibatches
    title_zh: str = ""
    description_zh: str = ""

    def title_in(self, language: str) -> str:
        """Return the title in ``language`` ("zh" or "en"), English when none is written."""
        return self.title_zh if language == "zh" and self.title_zh else self.title

    def description_in(self, language: str) -> str:
        """Return the description in ``language`` ("zh" or "en"), English when none is written."""
        return self.description_zh if language == "zh" and self.description_zh else self.description


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
            "Linear regression from scratch",
            "d2l 3.2: y = Xw + b with w = [2, -3.4], b = 4.2; minibatch SGD written by hand.",
            lr=0.03,
            batch_size=10,
            length=3,
            examples=LINREG_EXAMPLES,
            optimizers=_TORCH_OPTIMIZERS,
            title_zh="线性回归（从零实现）",
            description_zh="d2l 3.2：y = Xw + b，其中 w = [2, -3.4]，b = 4.2；"
            "手写小批量随机梯度下降（SGD）。",
        ),
        TaskInfo(
            "linreg_concise",
            "Linear regression with nn",
            "d2l 3.3: nn.Linear(2, 1), nn.MSELoss and optim.SGD on the same data.",
            lr=0.03,
            batch_size=10,
            length=3,
            examples=LINREG_EXAMPLES,
            optimizers=("sgd", "momentum", "adam", MANUAL),
            title_zh="线性回归（nn 简洁实现）",
            description_zh="d2l 3.3：在同样的数据上使用 nn.Linear(2, 1)、nn.MSELoss 和 optim.SGD。",
        ),
        TaskInfo(
            "quadratic",
            "Quadratic fit y = 3x² + 2",
            "Seed 001: 100 points in [-1, 1], y = 3x² + 2 plus noise uniform on [0, 0.2]; "
            "fit y = w·x² + b with manual updates. The noise adds 0.1 on average: the best b "
            "is 2.1.",
            lr=0.01,
            batch_size=None,
            length=800,
            optimizers=_TORCH_OPTIMIZERS,
            curve=True,
            title_zh="二次函数拟合 y = 3x² + 2",
            description_zh="教程 001：[-1, 1] 中的 100 个点，y = 3x² + 2 加上 [0, 0.2] 上均匀分布的"
            "噪声；手动更新参数拟合 y = w·x² + b。噪声平均为 0.1：最好的 b 是 2.1。",
        ),
        TaskInfo(
            "two_layer_numpy",
            "Two-layer net: NumPy",
            "Seed 004: n=64, 1000→100→10, ReLU, backprop written by hand in NumPy.",
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=(MANUAL,),
            title_zh="两层网络：NumPy",
            description_zh="教程 004：n=64，1000→100→10，ReLU，用 NumPy 手写反向传播。",
        ),
        TaskInfo(
            "two_layer_tensor",
            "Two-layer net: tensors, manual backprop",
            "Seed 004: the same net with torch tensors and hand-written gradients.",
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=(MANUAL,),
            title_zh="两层网络：张量 + 手动反向传播",
            description_zh="教程 004：同一个网络，使用 torch 张量和手写的梯度。",
        ),
        TaskInfo(
            "two_layer_autograd",
            "Two-layer net: autograd",
            "Seed 004: the same net, gradients from loss.backward().",
            lr=1e-6,
            batch_size=None,
            length=500,
            optimizers=_TORCH_OPTIMIZERS,
            title_zh="两层网络：autograd",
            description_zh="教程 004：同一个网络，梯度由 loss.backward() 计算。",
        ),
    )
}

USER_TASK = "user"
USER_INFO = TaskInfo(
    USER_TASK,
    "Your own model (from the editor)",
    "Define model (an nn.Module, or a function of params), X, y and optionally loss_fn "
    "and true_params in the editor; the lab trains them.",
    # Adam at 0.05 fits the README's example (a small tanh net on y = 3x² + 2) within
    # the 200 epochs; plain SGD at 0.01 stays near a flat line there.
    lr=0.05,
    batch_size=0,
    length=200,
    optimizers=("adam", "sgd", "momentum"),
    title_zh="你自己的模型（来自编辑器）",
    description_zh="在编辑器中定义 model（一个 nn.Module，或以 params 为参数的函数）、X、y，"
    "以及可选的 loss_fn 和 true_params；训练实验室会训练它们。",
)


def default_config(task: str) -> TrainingConfig:
    """Return the seed's own settings for ``task`` (the lab's, for the learner's own)."""
    info = USER_INFO if task == USER_TASK else TASK_INFOS[task]
    return TrainingConfig(
        task=task,
        lr=info.lr,
        batch_size=info.batch_size or 0,
        length=info.length,
        optimizer=info.optimizers[0],
    )
