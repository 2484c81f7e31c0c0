"""Stepping forward through a folded module box: it fills in op by op and stays put."""

from __future__ import annotations

import pytest

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.render.layout import NodeBox
from autograd_playground.gui.appearance.graph_palette import DARK, HIGH_CONTRAST, LIGHT
from autograd_playground.gui.graph.items import NodeItem
from tests.gui.conftest import run_in
from tests.gui.test_forward_stepper import open_stepper, shown_edges, shown_nodes

MODEL = (
    "torch.manual_seed(0)\n"
    "model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))\n"
    "x = torch.randn(4, 2)\n"
    "h = model(x)\n"
    "y = h.sum()\n"
)
BOX = "module:model"


def test_a_folded_box_fills_in_as_its_ops_run(window, qtbot):
    run_in(window, qtbot, MODEL)
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        window.graph_pane.collapse("model")
    stepper = open_stepper(window, qtbot)
    panel, view = stepper.panel, window.graph_view
    box = view.node_items[BOX]
    place = box.scenePos()
    assert panel.counter.text() == "Step 1 of 6"  # five ops inside the box, then the sum

    for number in range(1, 5):
        assert shown_nodes(view) == {BOX}
        assert shown_edges(view) == set()  # the box's result is not made yet
        assert box.filling == (number, 5)
        assert box.label_lines()[:2] == ["model", f"{number} of 5 ops run"]
        assert view.step_marks() == {BOX: "current"}
        assert box.scenePos() == place
        assert f"op {number} of 5 in model" in panel.body.toPlainText()
        with qtbot.waitSignal(panel.step_changed):
            panel.step_button.click()

    # The last op of the box: full and labelled as usual, its result still unused.
    assert box.filling is None
    assert box.label_lines()[:2] == ["model", "Sequential · 5 ops"]
    assert "Linear: addmm (AddmmBackward0), op 5 of 5 in model" in panel.body.toPlainText()
    with qtbot.waitSignal(panel.step_changed):
        panel.step_button.click()
    assert shown_nodes(view) == set(view.node_items)
    assert (BOX, panel.current_step().node_id) in shown_edges(view)
    assert box.scenePos() == place

    # Back into the box, then closing the dock: the box is whole again.
    with qtbot.waitSignal(panel.step_changed):
        panel.slider.setValue(1)
    assert box.filling == (2, 5)
    stepper.dock.close()
    qtbot.waitUntil(lambda: box.filling is None)
    assert box.label_lines()[1] == "Sequential · 5 ops"


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST], ids=["light", "dark", "contrast"])
def test_the_label_reads_on_the_part_of_a_box_not_run_yet(qtbot, theme):
    node = GraphNode(id=BOX, kind="module", label="Sequential", name="model")
    item = NodeItem(node, NodeBox(x=0, y=0, width=120, height=50), theme)
    item.set_filling((1, 4))
    fill = item.fill_color()
    empty = item.unfilled_color(fill)
    assert empty != fill  # what has not run yet looks different
    ink = theme.node_text.lightnessF()
    assert abs(empty.lightnessF() - ink) >= 0.35
    assert abs(fill.lightnessF() - ink) >= 0.35
