"""A task's data set and the trainer's records of a step, kept apart and typed."""

import torch

from autograd_playground.core.training.catalog import default_config
from autograd_playground.core.training.placement import TensorMove
from autograd_playground.core.training.tasks import TaskData
from autograd_playground.core.training.trainer import Trainer


def test_the_data_go_by_their_seeds_names():
    data = TaskData(torch.zeros(3, 2), torch.ones(3, 1), names=("features", "labels"))
    assert list(data.arrays()) == ["features", "labels"]
    assert data.arrays()["labels"] is data.targets
    assert list(TaskData(torch.zeros(1), torch.zeros(1)).arrays()) == ["x", "y"]


def test_moving_the_data_moves_the_batches_in_the_list_the_step_holds():
    data = TaskData(torch.zeros(4, 2), torch.zeros(4, 1), batches=[torch.tensor([0, 1])])
    held = data.batches
    move = TensorMove(torch.device("meta"))
    data.gather(move)
    assert data.inputs.device.type == "cpu"  # nothing moves before the move is committed
    move.commit()
    assert data.inputs.device.type == data.targets.device.type == "meta"
    assert held is data.batches
    assert held[0].device.type == "meta"


def test_a_recording_step_leaves_its_gradient_norms_beside_the_data_not_in_it():
    trainer = Trainer(default_config("linreg_scratch"))
    state = trainer.state
    trainer.step(record=True)
    assert set(state.recorded.grads) == {"w", "b"}
    assert state.recorded.graph is None  # asked for no graph
    assert list(state.data.arrays()) == ["features", "labels"]


def test_a_graph_recorded_goes_out_with_the_next_report_only():
    trainer = Trainer(default_config("quadratic"))
    trainer.step(record=True, record_graph=True)
    assert trainer.state.recorded.graph is not None
    assert trainer.collect().graph is not None
    assert trainer.state.recorded.graph is None
    trainer.step(record=True)
    assert trainer.collect().graph is None


def test_the_numpy_task_keeps_its_data_to_itself_and_still_records_gradients():
    trainer = Trainer(default_config("two_layer_numpy"))
    trainer.step(record=True)
    assert trainer.state.data is None
    assert set(trainer.state.recorded.grads) == {"w1", "w2"}
    trainer.move_to("cpu")  # nothing of its own to move
