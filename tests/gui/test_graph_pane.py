"""The graph pane: markings, hover paths, search, focus, layout options and export."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from autograd_playground.gui.appearance.graph_palette import DARK, LIGHT
from autograd_playground.gui.graph.items import DIMMED_OPACITY, LABEL_PIXEL_SIZE
from autograd_playground.gui.graph.pane import GraphPane
from autograd_playground.gui.graph.view import MIN_OPENING_ZOOM
from tests.gui.conftest import double_click, run_in

CHAIN = (
    "a = torch.tensor(2.0, requires_grad=True)\n"
    "b = torch.tensor(3.0, requires_grad=True)\n"
    "c = torch.tensor(4.0, requires_grad=True)\n"
    "u = a * b\n"
    "v = c + 1\n"
    "out = u * v\n"
    "out.backward()\n"
)


def redraw(window, qtbot, **changes):
    """Change the pane's options as its controls do and wait for the new drawing."""
    pane = window.graph_pane
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        if "direction" in changes:
            pane.direction_actions[changes["direction"]].trigger()
        if "include_saved" in changes:
            pane.saved_action.setChecked(changes["include_saved"])


def test_small_values_and_grads_are_written_in_their_nodes(window, qtbot):
    run_in(window, qtbot, CHAIN)
    items = window.graph_view.node_items
    assert items["leaf:a"].label_lines() == ["a", "scalar", "data 2", "grad 15"]
    assert items["tensor:out"].label_lines() == ["out", "scalar", "data 30"]
    assert items["leaf:a"].has_grad_badge()
    assert not items["tensor:out"].has_grad_badge()


def test_markings_for_breaks_freed_buffers_and_nonfinite_values(window, qtbot):
    run_in(
        window,
        qtbot,
        "x = torch.tensor([1.0, 0.0], requires_grad=True)\n"
        "y = (x * x).sum()\n"
        "y.backward()\n"
        "r = torch.log(x)\n",
    )
    items = window.graph_view.node_items
    square = next(i for i in items.values() if i.node.op == "MulBackward0")
    assert square.border_pen().style() == Qt.PenStyle.DotLine  # backward freed its buffers
    log = next(i for i in items.values() if i.node.name == "r")
    assert log.border_pen().color() == QColor("#d62728")  # -inf in its value
    assert "data [0, -inf]" in log.label_lines()
    run_in(window, qtbot, "k = torch.ones(2)\nw = torch.ones(2, requires_grad=True)\nz = w * k")
    items = window.graph_view.node_items
    assert items["leaf:w"].border_pen().style() == Qt.PenStyle.SolidLine


def test_hover_lights_paths_from_leaves_and_to_roots(window, qtbot):
    run_in(window, qtbot, CHAIN)
    view = window.graph_view
    view.highlight_paths("tensor:u")
    lit = view.highlighted
    assert {"leaf:a", "leaf:b", "tensor:u", "tensor:out"} <= lit
    assert "leaf:c" not in lit
    assert "tensor:v" not in lit
    assert not any(view.graph.nodes[n].op == "AddBackward0" for n in lit)
    assert view.node_items["leaf:c"].opacity() == DIMMED_OPACITY
    assert view.node_items["leaf:a"].opacity() == 1.0
    dimmed_edges = [e for e in view.edge_items if e.opacity() < 1.0]
    assert dimmed_edges
    assert all(
        e.edge.source not in view.highlighted or e.edge.target not in view.highlighted
        for e in dimmed_edges
    )
    # Moving the mouse onto the node does the same, and off it restores everything.
    item = view.node_items["leaf:c"]
    qtbot.mouseMove(view.viewport(), view.mapFromScene(item.scenePos()))
    qtbot.waitUntil(lambda: "leaf:c" in view.highlighted and "leaf:a" not in view.highlighted)
    view.highlight_paths(None)
    assert all(i.opacity() == 1.0 for i in view.node_items.values())


def test_search_finds_names_and_ops_and_steps_through_them(window, qtbot):
    run_in(window, qtbot, CHAIN)
    pane, view = window.graph_pane, window.graph_view
    qtbot.keyClicks(pane.search, "mulbackward")
    assert pane.match_label.text() == "2 found"
    assert all(view.node_items[n].node.op == "MulBackward0" for n in view.node_search.matches)
    assert all(view.node_items[n].is_match for n in view.node_search.matches)
    qtbot.keyClick(pane.search, Qt.Key.Key_Return)
    first = view.selected_node_id()
    assert pane.match_label.text() == "1 of 2"
    qtbot.keyClick(pane.search, Qt.Key.Key_Return)
    assert view.selected_node_id() != first
    assert pane.match_label.text() == "2 of 2"
    pane.search.setText("no such thing")
    assert pane.match_label.text() == "no match"
    assert not any(i.is_match for i in view.node_items.values())
    pane.search.setText("b")
    assert "leaf:b" in view.node_search.matches


WIDE_SUM = "\n".join(f"x{i} = torch.ones(1, requires_grad=True)" for i in range(30)) + (
    "\ns = x0" + "".join(f" + x{i}" for i in range(1, 30))
)


def test_zoom_to_selection_and_fit(window, qtbot):
    run_in(window, qtbot, WIDE_SUM)
    view = window.graph_view
    assert not view.zoom_to_selection()
    view.fit_all()
    whole = view.zoom()
    view.select_node("leaf:x15")
    assert view.zoom_to_selection()
    centre = view.mapToScene(view.viewport().rect().center())
    assert (centre - view.node_items["leaf:x15"].pos()).manhattanLength() < 150
    assert view.zoom() >= whole
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert abs(view.zoom() - whole) < 1e-6


def test_new_structure_keeps_the_focus_on_the_same_named_node(window, qtbot):
    run_in(window, qtbot, WIDE_SUM)
    view = window.graph_view
    view.select_node("leaf:x5")
    view.resetTransform()
    view.scale(1.5, 1.5)
    view.centerOn(view.node_items["leaf:x5"])
    # The zoom brings both scroll bars, and they narrow the viewport.
    qtbot.waitUntil(
        lambda: view.horizontalScrollBar().isVisible() and view.verticalScrollBar().isVisible()
    )
    before = view.node_items["leaf:x5"]
    offset = view.mapToScene(view.viewport().rect().center()) - before.pos()
    run_in(window, qtbot, "t = s * 2")  # a new root: the layout changes
    assert view.node_items["leaf:x5"] is not before
    assert view.selected_node_id() == "leaf:x5"
    assert abs(view.zoom() - 1.5) < 1e-6
    centre = view.mapToScene(view.viewport().rect().center())
    assert (centre - view.node_items["leaf:x5"].pos() - offset).manhattanLength() < 2


def test_direction_and_saved_tensors_redraw_without_running(window, qtbot, settings):
    run_in(window, qtbot, "x = torch.ones(3, requires_grad=True)\ny = (x.exp() * x).sum()\n")
    view = window.graph_view
    runs_before = window.output.toPlainText().count("── Run")
    x, y = view.node_items["leaf:x"].pos(), view.node_items["tensor:y"].pos()
    assert y.y() > x.y()
    redraw(window, qtbot, direction="LR")
    x, y = view.node_items["leaf:x"].pos(), view.node_items["tensor:y"].pos()
    assert y.x() > x.x()
    assert abs(y.y() - x.y()) < abs(y.x() - x.x())
    assert not any(i.node.kind == "saved" for i in view.node_items.values())
    redraw(window, qtbot, include_saved=True)
    saved = [i for i in view.node_items.values() if i.node.kind == "saved"]
    assert saved
    assert all(i.fill_color() == QColor("#ffa500") for i in saved)
    assert window.output.toPlainText().count("── Run") == runs_before
    assert settings.value("graph/direction") == "LR"
    reopened = GraphPane(settings)  # the next launch starts with the same choices
    qtbot.addWidget(reopened)
    assert reopened.options.direction == "LR"
    assert reopened.options.include_saved
    assert reopened.direction_actions["LR"].isChecked()
    assert reopened.saved_action.isChecked()
    # The next run keeps the chosen options.
    run_in(window, qtbot, "y2 = x.sin().sum()")
    assert any(i.node.kind == "saved" for i in view.node_items.values())


def test_export_png_svg_and_clipboard(window, qtbot, tmp_path):
    run_in(window, qtbot, CHAIN)
    pane = window.graph_pane
    rect = window.graph_view.scene().sceneRect()
    assert pane.save_png(tmp_path / "g.png")
    image = QImage(str(tmp_path / "g.png"))
    assert image.width() == round(rect.width() * pane.png_scale)
    assert image.pixelColor(image.width() // 2, 2) == window.graph_view.theme.background
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert "#add8e6" in colours  # the leaves' blue
    assert pane.save_svg(tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text()
    assert "<svg" in svg
    assert "MulBackward0" in svg
    assert ">out<" in svg
    pane.copy_image()
    copied = QGuiApplication.clipboard().image()
    assert copied.width() == image.width()
    assert not pane.save_png(tmp_path / "missing-dir" / "g.png")
    assert "Could not save" in window.status.text()


def test_dark_theme_recolours_in_place(window, qtbot):
    run_in(window, qtbot, CHAIN)
    view = window.graph_view
    items = dict(view.node_items)
    view.set_theme(DARK)
    assert view.backgroundBrush().color() == DARK.background
    assert view.node_items == items
    assert view.edge_items[0].pen().color() == DARK.edge_colors["flow"]
    assert items["leaf:a"].fill_color() == QColor("#add8e6")  # the legend is kept
    view.set_theme(LIGHT)
    assert view.backgroundBrush().color() == QColor("#ffffff")


def test_cancelling_a_layout_keeps_the_results(window, qtbot, monkeypatch, tmp_path):
    engine = tmp_path / "slow-dot"
    engine.write_text("#!/bin/sh\nsleep 30\n")
    engine.chmod(0o755)
    monkeypatch.setenv("AUTOGRAD_PLAYGROUND_DOT", str(engine))
    window.editor.setPlainText("x = torch.ones(2, requires_grad=True)\ny = x * 2\n")
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        window.run_all()
        qtbot.waitUntil(window.graph_pane.busy_bar.isVisible, timeout=10_000)
        assert "Laying out 3 nodes" in window.graph_pane.busy_label.text()
        qtbot.mouseClick(window.graph_pane.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.graph_pane.busy_bar.isVisible()
    assert "cancelled" in window.graph_view.message_text()
    assert window.variables.names() == ["x", "y"]


def test_legend_lists_kinds_and_markings(window):
    entries = window.graph_view.legend.entries()
    for text in ("leaf (requires_grad)", "output", "has a .grad", "NaN or inf"):
        assert text in entries


MODEL = (
    "torch.manual_seed(0)\n"
    "model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))\n"
    "out = model(torch.randn(4, 2)).sum()\n"
)


def test_a_module_call_collapses_into_one_box_and_expands_again(window, qtbot):
    run_in(window, qtbot, MODEL)
    pane, view = window.graph_pane, window.graph_view
    assert pane.modules_label.text() == "4 module calls, 0 drawn as boxes"
    linear_op = next(i.node for i in view.node_items.values() if i.node.op == "AddmmBackward0")
    menu = view.node_menu(linear_op)
    assert menu.actions()[0].text() == "Collapse model · Sequential into one box"
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        pane.collapse("model.0")
    box = view.node_items["module:model.0"]
    assert box.node.kind == "module"
    assert box.fill_color() == QColor("#e3d7f4")
    assert box.label_lines()[:2] == ["model.0", "Linear · 2 ops"]
    assert "leaf:model.0.weight" not in view.node_items  # its parameters are inside
    assert "leaf:model.2.weight" in view.node_items
    assert "1 drawn as boxes" in pane.modules_label.text()
    # Double-clicking the box opens it up again.
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        pos = view.mapFromScene(box.scenePos())
        double_click(qtbot, view.viewport(), pos=pos)
    assert "module:model.0" not in view.node_items
    assert "leaf:model.0.weight" in view.node_items
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        pane.collapse_all()
    # The outline: one box per layer (a single box holding every op would be no outline).
    boxes = {i.node.id for i in view.node_items.values() if i.node.kind == "module"}
    assert boxes == {"module:model.0", "module:model.1", "module:model.2"}


def test_large_graphs_start_collapsed_by_module(window, qtbot):
    outcome = run_in(
        window,
        qtbot,
        "layers = [m for _ in range(150) for m in (nn.Linear(4, 4), nn.Tanh())]\n"
        "model = nn.Sequential(*layers)\n"
        "out = model(torch.randn(2, 4)).sum()\n",
    )
    # The 301 module calls, and the loop of (Linear, Tanh) pairs the Sequential runs.
    assert len(outcome.module_groups) == 302
    assert outcome.collapsed
    assert "Linear · Tanh × 150" in {node.label for node in outcome.graph.nodes.values()}
    assert len(outcome.graph.nodes) <= window.playground.options.collapse_threshold
    qtbot.waitUntil(window.graph_view.is_scene_complete)
    assert any(i.node.kind == "module" for i in window.graph_view.node_items.values())
    with qtbot.waitSignal(window.graph_redrawn, timeout=60_000):
        window.graph_pane.expand_all()
    qtbot.waitUntil(window.graph_view.is_scene_complete)
    assert not any(i.node.kind == "module" for i in window.graph_view.node_items.values())
    assert len(window.graph_view.node_items) > window.playground.options.collapse_threshold


def legend_in_its_corner(view) -> bool:
    """Whether the legend is 8 pixels in from the viewport's top right corner."""
    corner = view.viewport().rect().topRight() + QPoint(-8, 8)
    return view.legend.geometry().topRight() == corner


def test_legend_stays_in_the_corner_while_panning_and_can_be_hidden(window, qtbot, settings):
    run_in(window, qtbot, WIDE_SUM)
    view, legend = window.graph_view, window.graph_view.legend
    view.zoom_by(3.0)
    view.centerOn(view.node_items["leaf:x20"])
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 40)
    qtbot.waitUntil(lambda: legend_in_its_corner(view))
    window.graph_pane.legend_action.setChecked(False)
    assert not legend.isVisible()
    assert settings.value("graph/legend") in (False, "false")


def test_fit_from_a_zoomed_in_view_ignores_the_scroll_bars_it_removes(window, qtbot):
    # Zoomed in, both scroll bars show and the viewport is smaller than it will be
    # once the fitted graph needs none.
    wide = "x = torch.ones(2, requires_grad=True)\n" + "".join(
        f"y{i} = x * {i + 1}\n" for i in range(6)
    )
    run_in(window, qtbot, wide)
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=10_000)
    view.zoom_by(4 / view.zoom())  # as the user zooms: the view is theirs from now on
    qtbot.waitUntil(lambda: view.horizontalScrollBar().isVisible(), timeout=5_000)
    view.fit_all()
    # The scroll bars go, the viewport grows and the legend moves with it.
    qtbot.waitUntil(
        lambda: (
            not view.horizontalScrollBar().isVisible()
            and not view.verticalScrollBar().isVisible()
            and legend_in_its_corner(view)
        ),
        timeout=5_000,
    )
    legend = view.legend.geometry()
    for item in view.node_items.values():
        box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        assert view.viewport().rect().contains(box), item.node.label
        assert not box.intersects(legend), item.node.label


def test_fit_places_the_graph_clear_of_the_legend(window, qtbot):
    wide = "x = torch.ones(2, requires_grad=True)\n" + "".join(
        f"y{i} = x * {i + 1}\n" for i in range(6)
    )
    tall = "x = torch.ones(2, requires_grad=True)\ny = x * 1\n" + "".join(
        f"y = y * {i + 2}\n" for i in range(6)
    )
    # A tall graph goes beside the legend, a wide one below it (in a pane with room
    # for either: the editor keeps its 40 columns).
    window.resize(1280, 720)
    for code, where in ((tall, Qt.AlignmentFlag.AlignLeft), (wide, Qt.AlignmentFlag.AlignBottom)):
        run_in(window, qtbot, code)
        view = window.graph_view
        qtbot.waitUntil(view.is_scene_complete, timeout=10_000)
        view.fit_all()
        assert view.alignment() & where
        legend = view.legend.geometry()
        for item in view.node_items.values():
            box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            assert not box.intersects(legend), item.node.label
            assert view.viewport().rect().contains(box), item.node.label


def test_names_ops_and_shapes_are_drawn_full_size_in_their_boxes(window, qtbot):
    # Boxes are sized in the window's own font, bold names included: on a platform
    # whose font is wider than the layout engine's Helvetica, none has to shrink.
    code = (
        "model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))\n"
        "loss_of_the_whole_batch = model(torch.ones(4, 3)).sum()\n"
    )
    run_in(window, qtbot, code)
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=10_000)
    assert "leaf:model.0.weight" in view.node_items
    for item in view.node_items.values():
        for font, _rect, text in item._lay_out_text()[:2]:  # the name or op, the shape
            assert font.pixelSize() == LABEL_PIXEL_SIZE, text


def test_a_graph_too_long_to_fit_opens_at_its_start_readable(window, qtbot):
    # 300 layers start collapsed into 300 module boxes in a column some 60 times taller
    # than wide: fitted whole, it was a sliver two pixels across. (Alike layers would fold
    # into one "Linear × 300" box: these alternate, with and without a bias.)
    code = (
        "model = nn.Sequential(*[nn.Linear(4, 4, bias=i % 2 == 0) for i in range(300)])\n"
        "out = model(torch.ones(2, 4)).sum()\n"
    )
    run_in(window, qtbot, code)
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=20_000)
    assert view.zoom() >= MIN_OPENING_ZOOM
    first = view.node_items["module:model.0"]
    box = view.mapFromScene(first.sceneBoundingRect()).boundingRect()
    assert view.viewport().rect().contains(box)
    assert not box.intersects(view.legend.geometry())
    assert window.status.text().endswith(" · 601 ops in the graph")  # 300 × (t, addmm), sum
    view.fit_all()  # F still shows the whole graph, however small
    assert view.zoom() < MIN_OPENING_ZOOM


def test_a_graph_that_opened_whole_stays_whole_as_its_view_changes_size(window, qtbot):
    window.resize(1100, 720)
    wide = "x = torch.ones(2, requires_grad=True)\n" + "".join(
        f"y{i} = x * {i + 1}\n" for i in range(6)
    )
    run_in(window, qtbot, wide)
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=10_000)
    qtbot.waitUntil(view._graph_in_view, timeout=5_000)
    opened_at = view.zoom()
    window.resize(1700, 720)  # the view widens (a pane beside it closed, say): it grows
    qtbot.waitUntil(lambda: view.zoom() > opened_at * 1.2, timeout=5_000)
    assert view._graph_in_view()
    window.resize(1100, 720)  # narrow again: back to the size it opened at, whole
    qtbot.waitUntil(lambda: abs(view.zoom() - opened_at) < 1e-3, timeout=5_000)
    assert view._graph_in_view()
    view.zoom_by(1.5)  # the user's zoom: the view is theirs, no refit any more
    zoomed = view.zoom()
    window.resize(1700, 720)
    qtbot.waitUntil(lambda: view.viewport().width() > 900, timeout=5_000)
    assert view.zoom() == zoomed


def test_the_path_bar_names_the_boxes_around_a_node_and_closes_one(window, qtbot):
    run_in(window, qtbot, MODEL)
    pane, view = window.graph_pane, window.graph_view
    linear_op = next(i for i in view.node_items.values() if i.node.op == "AddmmBackward0")
    view.scene().clearSelection()
    linear_op.setSelected(True)
    bar = pane.fold_path
    assert bar.isVisible()
    assert [crumb.fold_id for crumb in bar.crumbs] == ["model", linear_op.node.module]
    assert "model · Sequential" in bar.text()
    with qtbot.waitSignal(window.graph_redrawn, timeout=30_000):
        bar.linkActivated.emit("close:" + linear_op.node.module)
    assert f"module:{linear_op.node.module}" in view.node_items


def test_the_path_bar_stays_hidden_for_a_graph_without_modules(window, qtbot):
    run_in(window, qtbot, CHAIN)
    window.graph_view.select_name("u")
    assert not window.graph_pane.fold_path.isVisible()
