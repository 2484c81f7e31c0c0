"""Lessons: every shipped lesson loads in both languages and runs, showing what it teaches."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import torch

from autograd_playground.core.i18n.languages import (
    LANGUAGES,
    language_for_locale,
    language_name,
    normalize_language,
)
from autograd_playground.core.playground import Playground, RunOutcome
from autograd_playground.core.teach.lessons import load_catalog, load_lesson

CATALOG = load_catalog()
LESSONS = CATALOG.lessons
BY_ID = {lesson.id: lesson for lesson in LESSONS}


@pytest.fixture(scope="module")
def playground():
    pg = Playground()
    pg.warm_up()
    yield pg
    pg.close()


def _leaf_grad(outcome: RunOutcome, name: str) -> list:
    node = outcome.graph.find(name)
    assert node is not None, f"{name} is not in the graph"
    assert node.kind == "leaf", f"{name} is not a leaf"
    assert node.grad is not None, f"{name} has no grad in the graph"
    return node.grad.values


def _ops(outcome: RunOutcome) -> set[str]:
    return {node.op for node in outcome.graph.ops()}


def _printed_losses(stdout: str) -> list[tuple[int, float]]:
    return [(int(m[1]), float(m[2])) for m in re.finditer(r"^(\d+) (\S+)$", stdout, re.M)]


def _loss_falls(outcome: RunOutcome, names: dict) -> None:
    losses = _printed_losses(outcome.result.stdout)
    assert [step for step, _ in losses] == [*range(0, 500, 50), 499]
    assert losses[-1][1] < losses[0][1] / 1000


# What each lesson must show once run: (outcome, the user's names) -> assertions.
EXPECTATIONS: dict[str, Callable[[RunOutcome, dict], None]] = {}


def expect(lesson_id: str):
    def register(check):
        EXPECTATIONS[lesson_id] = check
        return check

    return register


@expect("01_first_tensors")
def _(outcome, names):
    assert "torch.Size([12]) 12" in outcome.result.stdout
    assert names["X"].shape == (3, 4)
    assert names["X"][2, 3].item() == 11
    assert not outcome.graph.nodes  # nothing requires grad yet


@expect("02_operators")
def _(outcome, names):
    assert "tensor([ 3.,  4.,  6., 10.])" in outcome.result.stdout  # x + y
    assert outcome.result.display == "tensor(66.)"
    assert names["Y"].shape == (3, 4)


@expect("03_creating_tensors")
def _(outcome, names):
    assert "torch.int64 torch.float32" in outcome.result.stdout
    assert torch.equal(names["a"], torch.tensor([1.0, 2.0, 3.0]))
    assert {node.name for node in outcome.graph.nodes.values()} == {"w", "b"}
    assert outcome.graph.find("w").shape == (2, 3)
    assert outcome.graph.find("b").requires_grad


@expect("04_reshaping")
def _(outcome, names):
    assert names["y"].shape == (1, 6)
    assert names["c"].shape == (1, 6)
    assert torch.equal(names["y_hat"], torch.tensor([2.0, 2.0]))
    assert "torch.Size([2, 3]) 2 torch.int64 cpu" in outcome.result.stdout


@expect("05_broadcasting")
def _(outcome, names):
    assert names["C"].tolist() == [[0, 1, 2], [10, 11, 12], [20, 21, 22], [30, 31, 32]]
    assert torch.equal(names["z"], torch.tensor([3, 4, 5]))
    assert "size of tensor a (3) must match the size of tensor b (2)" in outcome.result.stdout


@expect("06_indexing")
def _(outcome, names):
    assert names["X"].tolist() == [[12.0] * 4, [12.0] * 4, [8.0, 9.0, 10.0, 11.0]]
    assert torch.equal(names["x_"], names["x"][names["x"] > 0])
    assert len(names["x_"]) == 2  # the seed's two positive numbers


@expect("07_saving_memory")
def _(outcome, names):
    out = outcome.result.stdout
    assert "Y = Y + X keeps the same memory: False" in out
    assert "X += Y keeps the same memory: True" in out
    assert "loaded back: tensor([3.5000])" in out
    assert "transpose is contiguous: False" in out
    assert names["y"].tolist() == [[10], [2], [3]]


@expect("08_linear_algebra")
def _(outcome, names):
    assert "tensor(6.) tensor(6.)" in outcome.result.stdout  # dot and sum of products
    assert "tensor(5.) tensor(7.)" in outcome.result.stdout  # L2 and L1 norms of (3, -4)
    assert outcome.result.display == "tensor(6.)"


@expect("09_reductions")
def _(outcome, names):
    out = outcome.result.stdout
    assert "torch.Size([3, 4]) torch.Size([2, 4]) torch.Size([2, 3])" in out
    assert "tensor([ 6., 10., 14.]) tensor([[ 6., 10., 14.]])" in out
    assert outcome.result.display == "tensor([2, 2])"


@expect("10_derivatives")
def _(outcome, names):
    assert "h=0.10000, numerical limit=2.30000" in outcome.result.stdout
    assert _leaf_grad(outcome, "x") == pytest.approx(2.0)
    assert {"PowBackward0", "SubBackward0"} <= _ops(outcome)


@expect("11_autograd_basics")
def _(outcome, names):
    out = outcome.result.stdout
    assert "tensor([ 0.,  4.,  8., 12.])" in out  # 4x after y = 2xᵀx
    assert "tensor([1., 1., 1., 1.])" in out  # after y = x.sum()
    assert _leaf_grad(outcome, "x") == [0.0, 2.0, 4.0, 6.0]
    assert outcome.graph.find("y") is not None


@expect("12_detach")
def _(outcome, names):
    assert "tensor([True, True, True, True])" in outcome.result.stdout
    assert _leaf_grad(outcome, "x") == [0.0, 2.0, 4.0, 6.0]
    assert outcome.graph.find("u") is None  # detached: not part of the graph
    assert outcome.graph.find("z") is not None


@expect("13_control_flow")
def _(outcome, names):
    out = outcome.result.stdout
    assert out.startswith("tensor(True)")
    assert "grad can be implicitly created only for scalar outputs" in out
    grad = names["a"].grad
    assert grad.shape == (3,)
    assert torch.all(grad == grad[0])
    assert grad[0] > 1000
    assert _leaf_grad(outcome, "x") == pytest.approx(2 * names["x"].item())


@expect("14_retain_graph")
def _(outcome, names):
    assert "Trying to backward through the graph a second time" in outcome.result.stdout
    x = names["x"]
    assert torch.allclose(x.grad, 2 * x.detach() / 3)  # twice d(mean(x² - 1))/dx
    assert {"PowBackward0", "SubBackward0", "MeanBackward0"} <= _ops(outcome)
    assert any(op.saved_freed for op in outcome.graph.ops())


@expect("15_wx_plus_b")
def _(outcome, names):
    assert _leaf_grad(outcome, "w") == [5.0]
    assert _leaf_grad(outcome, "b") == [1.0]
    assert outcome.graph.find("z").value.values == [4.0]
    assert _ops(outcome) == {"MulBackward0", "AddBackward0"}


@expect("16_jacobian_rows")
def _(outcome, names):
    assert names["J"].tolist() == [[4.0, 3.0], [2.0, 6.0]]
    assert "tensor([4., 3.])" in outcome.result.stdout


@expect("17_my_relu")
def _(outcome, names):
    assert "MyFunctionBackward" in _ops(outcome)
    assert _leaf_grad(outcome, "x") == [0.0, 1.0, 0.0]
    assert outcome.result.stdout.rstrip().endswith("False")  # z made under no_grad


@expect("18_simple_net")
def _(outcome, names):
    assert {"AddmmBackward0", "ReluBackward0"} <= _ops(outcome)
    leaves = {node.name for node in outcome.graph.nodes.values() if node.kind == "leaf"}
    assert {"model.fc1.weight", "model.fc2.bias"} <= leaves
    assert outcome.graph.find("output").shape == (5, 1)


@expect("19_two_layer_numpy")
def _(outcome, names):
    _loss_falls(outcome, names)
    assert not outcome.graph.nodes


@expect("20_two_layer_tensors")
def _(outcome, names):
    _loss_falls(outcome, names)
    assert names["w1"].shape == (1000, 100)
    assert not outcome.graph.nodes


@expect("21_two_layer_autograd")
def _(outcome, names):
    _loss_falls(outcome, names)
    assert {"MmBackward0", "ClampBackward1", "PowBackward0", "SumBackward0"} <= _ops(outcome)
    assert outcome.graph.find("w2").kind == "leaf"
    assert not names["w2"].grad.any()  # zeroed after the last update


@expect("22_quadratic_fit")
def _(outcome, names):
    assert "NumPy: [[2.99134284]] [[2.09741738]]" in outcome.result.stdout
    assert names["w"].item() == pytest.approx(2.9668, abs=1e-3)
    assert names["b"].item() == pytest.approx(2.1138, abs=1e-3)
    assert outcome.graph.find("w").kind == "leaf"


@expect("23_linreg_scratch")
def _(outcome, names):
    assert torch.allclose(names["w"].detach().reshape(2), torch.tensor([2.0, -3.4]), atol=0.02)
    assert names["b"].item() == pytest.approx(4.2, abs=0.02)
    assert "epoch 3, loss" in outcome.result.stdout
    assert "MmBackward0" in _ops(outcome)


@expect("24_linreg_concise")
def _(outcome, names):
    assert torch.allclose(names["w"].reshape(2), torch.tensor([2.0, -3.4]), atol=0.02)
    assert {"AddmmBackward0", "MseLossBackward0"} <= _ops(outcome)
    assert outcome.graph.find("net.0.weight").kind == "leaf"


def test_every_shipped_lesson_loads():
    assert CATALOG.problems == ()


def test_every_lesson_has_an_expectation_and_the_coverage_is_complete():
    assert set(EXPECTATIONS) == set(BY_ID)
    assert [lesson.number for lesson in LESSONS] == list(range(1, len(LESSONS) + 1))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_has_both_languages(lesson):
    for language in LANGUAGES:
        assert lesson.title(language).strip()
        assert lesson.text(language).strip()
        assert 2 <= len(lesson.prompts_in(language)) <= 4
    # The Chinese texts are written in Chinese, not copied from the English ones.
    assert re.search(r"[\u4e00-\u9fff]", lesson.text("zh"))
    assert lesson.text("zh") != lesson.text("en")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_runs_and_shows_what_it_teaches(playground, lesson):
    playground.reset()
    outcome = playground.execute(lesson.code)
    assert outcome.result.error is None, outcome.result.error.text
    assert outcome.graph_error is None
    EXPECTATIONS[lesson.id](outcome, playground.evaluator.user_names())


def test_lessons_are_ordered_by_their_number_not_by_name(tmp_path):
    for name in ("10_late", "2_early"):
        (tmp_path / f"{name}.py").write_text("x = 1\n")
        (tmp_path / f"{name}.toml").write_text(_toml())
    assert [lesson.id for lesson in load_catalog(tmp_path).lessons] == ["2_early", "10_late"]


def _toml(zh: str | None = None) -> str:
    table = '[{lang}]\ntitle = "T"\ntext = "Some text."\nprompts = ["Try it.", "Again."]\n'
    return table.format(lang="en") + (zh if zh is not None else table.format(lang="zh"))


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"01_a.py": "x = 1\n"}, "01_a.toml, its texts, is missing"),
        ({"01_a.py": "x = 1\n", "01_a.toml": "[en\n"}, "01_a.toml: not valid TOML"),
        ({"01_a.py": "x = 1\n", "01_a.toml": _toml(zh="")}, "the [zh] table is missing"),
        (
            {"01_a.py": "x = 1\n", "01_a.toml": _toml(zh='[zh]\ntitle = "T"\nprompts = ["p"]')},
            "01_a.toml [zh]: text is missing or empty",
        ),
        (
            {"01_a.py": "x = 1\n", "01_a.toml": _toml(zh='[zh]\ntitle = "T"\ntext = "t"\n')},
            "prompts must be a list",
        ),
        ({"lesson.py": "x = 1\n"}, "named like 01_first_tensors.py"),
        ({"01_a.py": "  \n", "01_a.toml": _toml()}, "01_a.py: the code file is empty"),
        ({"01_a.toml": _toml()}, "01_a.py, its code, is missing"),
    ],
)
def test_a_malformed_lesson_gives_a_clear_error(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (problem,) = load_catalog(tmp_path).problems
    assert message in problem


def test_catalog_keeps_the_good_lessons_and_names_the_bad_ones(tmp_path):
    (tmp_path / "01_good.py").write_text("x = 1\n")
    (tmp_path / "01_good.toml").write_text(_toml())
    (tmp_path / "02_bad.py").write_bytes(b"\xff\xfe not text")
    (tmp_path / "02_bad.toml").write_text(_toml())
    catalog = load_catalog(tmp_path)
    assert [lesson.id for lesson in catalog.lessons] == ["01_good"]
    assert catalog.problems == ("02_bad.py: not UTF-8 text.",)
    assert load_lesson(tmp_path / "01_good.py").prompts_in("zh") == ("Try it.", "Again.")


def test_missing_folder_is_a_problem_not_a_crash(tmp_path):
    catalog = load_catalog(tmp_path / "nowhere")
    assert catalog.lessons == ()
    assert "does not exist" in catalog.problems[0]


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("zh_CN", "zh"),
        ("zh_TW", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh", "zh"),
        ("en_US", "en"),
        ("de_DE", "en"),
        ("C", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_language_follows_the_locale(locale, language):
    assert language_for_locale(locale) == language


def test_language_names_and_settings_values():
    assert [language_name(code) for code in LANGUAGES] == ["English", "简体中文"]
    assert normalize_language("zh") == "zh"
    assert normalize_language("fr", fallback="zh") == "zh"
    assert normalize_language(None) == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        language_name("fr")
