"""The window's core object, without a window."""

import pytest

from autograd_playground.core.playground import Playground

FIRST_PATH = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n"


@pytest.fixture
def playground():
    pg = Playground()
    yield pg
    pg.close()


def test_execute_gives_graph_layout_and_variables(playground):
    seen = []
    playground.run_finished.connect(seen.append)
    outcome = playground.execute(FIRST_PATH + "y.backward()")
    assert seen == [outcome]
    assert outcome.result.error is None
    assert set(outcome.layout.nodes) == set(outcome.graph.nodes)
    assert [v.name for v in outcome.variables] == ["x", "y"]
    assert [v.has_grad for v in outcome.variables] == [True, False]
    assert outcome.graph.find("x").grad.values == [0.0, 4.0, 8.0, 12.0]


def test_a_failing_run_still_shows_what_was_defined(playground):
    outcome = playground.execute(FIRST_PATH + "z = y.nope\n")
    assert outcome.result.error.line == 3
    assert outcome.graph.find("y") is not None


def test_unknown_root_is_a_graph_error(playground):
    playground.options.roots = ["nope"]
    outcome = playground.execute(FIRST_PATH)
    assert outcome.graph_error.startswith("no tensor named 'nope'")
    assert [v.name for v in outcome.variables] == ["x", "y"]


def test_missing_engine_is_a_graph_error(playground, monkeypatch):
    monkeypatch.setenv("AUTOGRAD_PLAYGROUND_DOT", "/nonexistent/dot")
    outcome = playground.execute(FIRST_PATH)
    assert outcome.layout is None
    assert "was not found" in outcome.graph_error
    assert outcome.graph.find("x").value.values == [0.0, 1.0, 2.0, 3.0]


def test_left_to_right_with_saved_tensors(playground):
    playground.options.direction = "LR"
    playground.options.include_saved = True
    outcome = playground.execute(FIRST_PATH)
    saved = [n for n in outcome.graph.nodes.values() if n.kind == "saved"]
    assert saved
    boxes = outcome.layout.nodes
    assert boxes["leaf:x"].x < boxes["tensor:y"].x


def test_reset_announces_itself(playground):
    resets = []
    playground.namespace_reset.connect(lambda: resets.append(True))
    playground.execute(FIRST_PATH)
    playground.reset()
    assert resets == [True]
    assert playground.evaluator.user_names() == {}


def test_the_codes_output_and_variables_are_announced_while_its_graph_is_laid_out(
    playground,
):
    events = []

    def code_finished(result, variables):
        events.append(("code", result.stdout, [variable.name for variable in variables]))

    playground.code_finished.connect(code_finished)
    playground.layout_started.connect(lambda count: events.append(("layout", count)))
    playground.run_finished.connect(lambda outcome: events.append(("run", outcome.variables)))
    outcome = playground.execute(
        "w = torch.ones(2, requires_grad=True)\nprint('ran')\nz = (w * 3).sum()\n"
    )
    # After the engine has the graph, before its layout is read: the wait is the engine's.
    assert [event[0] for event in events] == ["layout", "code", "run"]
    code = events[1]
    assert code[1] == "ran\n"
    assert code[2] == ["w", "z"]
    assert [v.name for v in outcome.variables] == ["w", "z"]


def test_runs_are_numbered_from_one_and_a_reset_takes_no_number(playground):
    assert playground.execute("a = 1").result.run_id == 1
    emptied = playground.reset_and_redraw()
    assert emptied.result.run_id == 0  # not a run
    assert emptied.variables == []
    assert len(emptied.graph.nodes) == 0
    assert playground.execute("b = 2").result.run_id == 2
    assert playground.execute("b").result.display == "2"


def test_a_failed_operation_is_drawn_red_fed_by_its_operands():
    from autograd_playground.core.graph.failed_op import FAILED_OP_ID
    from autograd_playground.core.render.labels import fill_key

    playground = Playground()
    try:
        code = (
            "x = torch.ones(2, 3, requires_grad=True)\ny = torch.ones(2, 4)\nz = x * 2\nw = z + y\n"
        )
        outcome = playground.execute(code)
        failed = outcome.graph.nodes[FAILED_OP_ID]
        assert (failed.op, failed.line, fill_key(failed)) == ("z + y", 4, "failed")
        sources = {
            outcome.graph.nodes[edge.source].name
            for edge in outcome.graph.edges
            if edge.target == FAILED_OP_ID
        }
        assert sources == {"z", "y"}
        assert outcome.graph.find("y").requires_grad is False
        assert FAILED_OP_ID in outcome.layout.nodes
        assert FAILED_OP_ID not in playground.execute("w = z").graph.nodes
    finally:
        playground.close()
