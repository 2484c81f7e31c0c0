"""The playground's folds: the opening of a big graph, opening and closing boxes, small graphs."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from autograd_playground.core.graph import extract, folds
from autograd_playground.core.playground import GraphOptions, Playground
from autograd_playground.core.render.export import graph_bytes
from tests.core.test_folds import rnn_code

LESSONS = Path(__file__).parents[2] / "assets" / "lessons"


@pytest.fixture
def playground():
    pg = Playground()
    pg.options = GraphOptions(collapse_threshold=40)
    yield pg
    pg.close()


@pytest.fixture
def extractions(monkeypatch):
    calls = []
    real = extract.extract_structure

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(extract, "extract_structure", counting)
    return calls


def boxes(outcome) -> list[str]:
    return [node.name for node in outcome.graph.nodes.values() if node.kind == "module"]


def test_opening_and_closing_a_box_refolds_the_last_extraction(playground, extractions):
    start = playground.execute(rnn_code(20))
    assert boxes(start) == ["cell … cell#20"]
    assert start.collapsed == {"cell … cell#20"}
    assert [(g.call_id, g.depth) for g in start.module_groups][:2] == [
        ("cell … cell#20", 0),
        ("cell", 1),
    ]
    assert len(extractions) == 1

    opened = playground.redraw(replace(playground.options, collapsed=frozenset()))
    assert boxes(opened) == ["cell", *(f"cell#{k}" for k in range(2, 21))]
    assert opened.layout is not None
    assert set(opened.layout.nodes) == set(opened.graph.nodes)
    # Values were read once, with the extraction; the refold shows them.
    weight = opened.graph.nodes["leaf:cell.weight_hh"]
    assert weight.value is not None
    assert weight.value.shape == (16, 16)
    assert [v.name for v in opened.variables] == [v.name for v in start.variables]

    inner = playground.redraw(replace(playground.options, collapsed=opened.collapsed - {"cell#7"}))
    assert "cell#7" not in boxes(inner)
    assert {n.module for n in inner.graph.ops()} == {"cell#7", None}

    closed = playground.redraw(replace(playground.options, collapsed=start.collapsed))
    assert boxes(closed) == ["cell … cell#20"]
    assert closed.layout is start.layout  # laid out before: kept
    assert len(extractions) == 1

    playground.redraw(playground.options)  # the same options: a refresh extracts again
    assert len(extractions) == 2


def test_other_options_or_new_code_extract_again(playground, extractions):
    playground.execute(rnn_code(20))
    opened = playground.redraw(replace(playground.options, direction="LR", collapsed=frozenset()))
    assert len(extractions) == 2
    cells = ["cell", *(f"cell#{k}" for k in range(2, 21))]
    assert boxes(opened) == cells
    again = playground.execute(rnn_code(20))
    assert len(extractions) == 3
    # The view shows what it showed before the code ran again: the cells, each a box.
    assert boxes(again) == cells


def test_small_graphs_are_drawn_unfolded_and_their_folds_listed():
    playground = Playground()
    try:
        outcome = playground.execute(rnn_code(5))
        assert outcome.collapsed == frozenset()
        assert boxes(outcome) == []
        listed = {g.call_id: g.depth for g in outcome.module_groups}
        assert listed["cell … cell#5"] == 0  # what "collapse all" closes
        assert listed["cell#3"] == 1
        assert all(n.module_path == () or n.kind == "op" for n in outcome.graph.nodes.values())
    finally:
        playground.close()


@pytest.mark.parametrize(
    "lesson", ["10_derivatives", "13_control_flow", "21_two_layer_autograd", "22_quadratic_fit"]
)
def test_the_lessons_graphs_are_drawn_as_they_were(lesson):
    playground = Playground()
    try:
        outcome = playground.execute((LESSONS / f"{lesson}.py").read_text())
        names = playground.evaluator.user_names()
        unfolded = extract.extract_graph(
            names, line_table=playground.evaluator.line_table, include_saved=False
        )
        assert outcome.collapsed == frozenset()
        assert list(outcome.graph.nodes) == list(unfolded.nodes)
        assert len(outcome.graph.edges) == len(unfolded.edges)
    finally:
        playground.close()


def test_the_json_export_says_what_each_box_folds(playground):
    outcome = playground.execute(rnn_code(20))
    document = json.loads(graph_bytes(outcome.graph, ".json"))
    assert document["folds"] == [
        {
            "node": "module:cell … cell#20",
            "fold": "cell … cell#20",
            "label": "RNNCell × 20",
            "ops": 120,
            "parameters": 4,
            "repeats": 20,
        }
    ]


BLOCKS_CODE = (
    "torch.manual_seed(0)\n"
    "class Block(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.norm = nn.LayerNorm(8)\n"
    "        self.mlp = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 8))\n"
    "    def forward(self, x):\n"
    "        return x + self.mlp(self.norm(x))\n"
    "blocks = nn.Sequential(*[Block() for _ in range(6)])\n"
    "out = blocks(torch.randn(2, 8)).sum()\n"
)


def test_opening_a_big_call_shows_the_calls_inside_it_as_boxes(playground, monkeypatch):
    # A block (13 nodes) is "big", its MLP (9) is not.
    monkeypatch.setattr(folds, "OPEN_WHOLE_NODES", 10)
    start = playground.execute(BLOCKS_CODE)
    (repeat,) = boxes(start)
    opened = playground.redraw(
        replace(playground.options, collapsed=frozenset(start.collapsed - {repeat}))
    )
    assert "blocks.2" in boxes(opened)
    inside = playground.redraw(
        replace(playground.options, collapsed=frozenset(opened.collapsed - {"blocks.2"}))
    )
    # A big call opens one level deep.
    assert {"blocks.2.norm", "blocks.2.mlp"} <= set(boxes(inside))
    assert "blocks.1" in boxes(inside)
    small = playground.redraw(
        replace(playground.options, collapsed=frozenset(inside.collapsed - {"blocks.2.mlp"}))
    )
    # Its MLP is small: it opens whole, its three layers drawn op by op.
    assert not any(name.startswith("blocks.2.mlp") for name in boxes(small))
    ops = [node for node in small.graph.nodes.values() if node.module == "blocks.2.mlp.1"]
    assert [node.op for node in ops] == ["GeluBackward0"]
