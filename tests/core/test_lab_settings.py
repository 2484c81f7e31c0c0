"""The lab's settings model: defaults, JSON and the rules for a session file's values."""

import pytest

from autograd_playground.core.training.catalog import MANUAL, USER_TASK, TrainingConfig
from autograd_playground.core.training.pacing import DEFAULT_SPEED, MAX
from autograd_playground.core.training.settings import (
    LabSettings,
    check_settings,
    is_batched,
    lr_text,
    parse_lr,
    task_keys,
)


def messages(checked, language="en"):
    return [problem.message_in(language) for problem in checked.problems]


def test_a_tasks_defaults_are_its_seeds():
    settings = LabSettings.for_task("quadratic")
    assert (settings.lr, settings.batch_size, settings.length) == (0.01, 0, 800)
    assert settings.optimizer == MANUAL
    assert (settings.seed, settings.follow_graph, settings.speed) == (0, False, DEFAULT_SPEED)
    assert LabSettings.for_task("linreg_concise", speed=MAX).optimizer == "sgd"
    assert LabSettings.for_task(USER_TASK).optimizer == "adam"


def test_the_tasks_are_the_seeds_then_the_learners_own():
    keys = task_keys()
    assert keys[0] == "linreg_scratch"
    assert keys[-1] == USER_TASK
    assert is_batched("linreg_scratch")
    assert not is_batched("quadratic")


def test_settings_read_as_a_run_and_as_a_session_files_json():
    settings = LabSettings("quadratic", 0.5, 0, 40, "adam", seed=3, follow_graph=True, speed=10)
    assert settings.config("cuda") == TrainingConfig("quadratic", 0.5, 0, 40, "adam", 3, "cuda")
    assert settings.as_json() == {
        "task": "quadratic",
        "lr": 0.5,
        "batch_size": 0,
        "length": 40,
        "optimizer": "adam",
        "seed": 3,
        "follow_graph": True,
        "speed": 10,
    }
    assert check_settings(settings.as_json(), "linreg_scratch").values == settings.as_json()


def test_the_learning_rate_reads_as_the_form_shows_it_and_falls_back_to_the_tasks():
    assert [lr_text(lr) for lr in (0.03, 1e-6, 0.01)] == ["0.03", "1e-06", "0.01"]
    assert parse_lr("2.5e-3", "quadratic") == 0.0025
    assert parse_lr("", "quadratic") == 0.01


def test_good_values_are_taken_normalised_the_task_first():
    checked = check_settings(
        {"speed": 1000.0, "seed": 7.0, "lr": 1, "task": "linreg_concise", "optimizer": "adam"},
        "quadratic",
    )
    assert checked.problems == []
    assert list(checked.values) == ["task", "lr", "seed", "optimizer", "speed"]
    assert checked.values == {
        "task": "linreg_concise",
        "lr": 1.0,
        "seed": 7,
        "optimizer": "adam",
        "speed": 1000,
    }
    assert isinstance(checked.values["seed"], int)
    assert isinstance(checked.values["lr"], float)


def test_values_of_none_are_not_given():
    assert check_settings({"task": None, "lr": None, "speed": None}, "quadratic").values == {}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"task": "mnist"}, "the task 'mnist' is not one of the lab's"),
        ({"task": 3}, "the task 3 is not one of the lab's"),
        ({"lr": 0}, "the learning rate 0 is not a positive number"),
        ({"lr": float("inf")}, "the learning rate inf is not a positive number"),
        ({"lr": True}, "the learning rate True is not a positive number"),
        ({"lr": "0.1"}, "the learning rate '0.1' is not a positive number"),
        ({"batch_size": -1}, "batch_size -1 is not a whole number from 0 to 100000"),
        ({"length": 2.5}, "length 2.5 is not a whole number from 1 to 10000000"),
        ({"seed": 2**31}, f"seed {2**31} is not a whole number from 0 to 2147483647"),
        ({"follow_graph": 1}, "follow_graph 1 is not true or false"),
        ({"speed": 7}, "the speed 7 is not one of the lab's"),
        ({"speed": True}, "the speed True is not one of the lab's"),
        ({"colour": "red"}, "the setting 'colour' is unknown"),
    ],
)
def test_a_bad_value_is_left_with_the_reason(given, problem):
    checked = check_settings(given, "linreg_scratch")
    assert checked.values == {}
    assert messages(checked) == [problem]


def test_the_optimizer_must_be_offered_by_the_task_that_will_be_shown():
    # The learner's own task offers no manual update; the seed's linear regression does.
    assert messages(check_settings({"task": USER_TASK, "optimizer": MANUAL}, "linreg_scratch")) == [
        "the optimizer 'manual' is not offered for this task"
    ]
    assert check_settings({"optimizer": MANUAL}, "linreg_scratch").problems == []
    # A task left as it was: its optimizers count.
    checked = check_settings({"task": "nope", "optimizer": "adam"}, "two_layer_numpy")
    assert messages(checked) == [
        "the task 'nope' is not one of the lab's",
        "the optimizer 'adam' is not offered for this task",
    ]


def test_the_problems_come_in_the_forms_order_and_in_chinese_too():
    checked = check_settings(
        {"extra": 1, "speed": "fast", "follow_graph": "yes", "seed": -1, "lr": -1, "task": 0},
        "quadratic",
    )
    assert messages(checked) == [
        "the task 0 is not one of the lab's",
        "the learning rate -1 is not a positive number",
        "seed -1 is not a whole number from 0 to 2147483647",
        "follow_graph 'yes' is not true or false",
        "the speed 'fast' is not one of the lab's",
        "the setting 'extra' is unknown",
    ]
    assert messages(checked, "zh")[0] == "任务 0 不在实验室的任务中"
    assert messages(checked, "zh")[-1] == "未知的设置 'extra'"
