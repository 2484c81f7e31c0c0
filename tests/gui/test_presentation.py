"""Presentation mode at 1280×720: every text larger, the graph whole, the editor usable."""

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication

from autograd_playground.core.playground import Playground
from autograd_playground.gui.appearance.presentation import PRESENTATION_SCALE
from autograd_playground.gui.main_window import MainWindow, default_code


def pixels(font: QFont) -> int:
    return QFontInfo(font).pixelSize()


def title_ink_height(dock) -> int:
    """How many pixel rows the dock's painted title covers (its buttons left out)."""
    bar = dock.grab(QRect(0, 0, dock.width() // 2, dock.widget().geometry().top())).toImage()
    background = bar.pixel(1, 1)
    rows = [
        y
        for y in range(bar.height())
        if any(bar.pixel(x, y) != background for x in range(2, bar.width()))
    ]
    return rows[-1] - rows[0] + 1 if rows else 0


def settle(qtbot) -> None:
    """Let the panes take their fonts and sizes (posted events, zero timers)."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
        qtbot.wait(10)


def starter_window(qtbot, settings, size: tuple[int, int]) -> MainWindow:
    """A window of ``size`` (set before it shows, as a first launch does) that has run
    the starter code."""
    window = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    with qtbot.waitSignal(window.engine_ready, timeout=60_000):
        window.start_engine()
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        window.run_all()
    settle(qtbot)
    return window


@pytest.fixture
def projector(qtbot, settings):
    """A 1280×720 window running the starter code, back at normal size afterwards."""
    window = starter_window(qtbot, settings, (1280, 720))
    yield window
    window.presentation.set_active(False)
    window.close()


def text_sizes(window) -> dict[str, object]:
    """The sizes the text escaping the app font was drawn in, and the plots' lines."""
    panel, plots = window.training_panel, window.training_panel.plots
    loss = plots.loss_plot.getPlotItem()
    sizes: dict[str, object] = {
        "dock title": title_ink_height(window.editor_dock),
        "lab task": pixels(panel.description.font()),
        "lab readout": pixels(panel.estimate.font()),
        "plot title": loss.titleLabel.opts["size"],
        "legend": [label.opts["size"] for _sample, label in loss.legend.items],
        "line": plots.loss_curve.pen().widthF(),
        "fit line": plots.fit_curve.pen().widthF(),
    }
    for side in ("left", "bottom"):
        axis = loss.getAxis(side)
        sizes[f"{side} label"] = pixels(axis.label.font())
        sizes[f"{side} ticks"] = pixels(axis.style["tickFont"] or axis.font())
    return sizes


def points(size: str) -> float:
    return float(size.removesuffix("pt"))


def test_dock_titles_lab_text_and_plots_grow_and_come_back(projector, qtbot):
    window = projector
    scale = PRESENTATION_SCALE
    before = text_sizes(window)
    window.presentation.action.trigger()
    settle(qtbot)
    after = text_sizes(window)
    # "Editor": its capital's height and the t's (no descender), as drawn.
    assert after["dock title"] == pytest.approx(before["dock title"] * scale, abs=2)
    for key in ("lab task", "lab readout", "left label", "bottom label"):
        assert after[key] == pytest.approx(before[key] * scale, abs=1), key
    for key in ("left ticks", "bottom ticks"):
        assert after[key] == pytest.approx(before[key] * scale, abs=1), key
    assert points(after["plot title"]) == pytest.approx(points(before["plot title"]) * scale)
    assert [points(s) for s in after["legend"]] == pytest.approx(
        [points(s) * scale for s in before["legend"]]
    )
    assert after["line"] > before["line"]
    assert after["fit line"] > before["fit line"]

    window.presentation.action.trigger()
    settle(qtbot)
    assert text_sizes(window) == before


def node_rects(view) -> dict[str, QRectF]:
    """Every node's box in viewport coordinates."""
    return {
        node_id: QRectF(view.mapFromScene(item.sceneBoundingRect()).boundingRect())
        for node_id, item in view.node_items.items()
    }


def clear_and_whole(view) -> bool:
    area = QRectF(view.viewport().rect())
    legend = QRectF(view.legend.geometry())
    rects = node_rects(view).values()
    return all(area.contains(r) and not r.intersects(legend) for r in rects)


def test_f9_shows_the_starter_graph_whole_and_clear_of_the_legend(projector, qtbot):
    window = projector
    view = window.graph_view
    assert window.editor.toPlainText() == default_code()
    view.fit_all()
    normal_fit = view.zoom()
    normal_label = view.mapFromScene(view.node_items["leaf:x"].sceneBoundingRect()).boundingRect()

    widths = (window.editor_dock.width(), window.inspector_dock.width())
    window.presentation.action.trigger()
    settle(qtbot)
    assert window.editor_dock.width() > widths[0]  # the editor's code at 1.5×
    assert clear_and_whole(view)
    bigger = view.mapFromScene(view.node_items["leaf:x"].sceneBoundingRect()).boundingRect()
    assert bigger.height() > normal_label.height()  # and the labels larger than before

    view.fit_all()
    assert clear_and_whole(view)
    assert view.zoom() >= normal_fit * 0.999  # the legend takes none of the graph's room

    window.presentation.action.trigger()
    settle(qtbot)
    assert not view.legend.folded
    assert (window.editor_dock.width(), window.inspector_dock.width()) == widths


def test_the_inspector_never_breaks_an_op_name(projector, qtbot):
    window = projector
    window.presentation.set_active(True)
    settle(qtbot)
    window.resizeDocks([window.inspector_dock], [120], Qt.Orientation.Horizontal)
    mul = next(n for n in window.graph_view.graph.nodes.values() if n.op == "MulBackward0")
    window.graph_view.select_node(mul.id)
    settle(qtbot)
    inspector = window.inspector
    assert inspector.viewport().width() < inspector.fontMetrics().horizontalAdvance(mul.op) * 2
    blocks = []
    block = inspector.document().begin()
    while block.isValid():
        if mul.op in block.text():
            blocks.append(block)
        block = block.next()
    assert len(blocks) >= 2  # the title, and grad_fn's row
    for block in blocks:
        start = block.text().index(mul.op)
        layout = block.layout()
        first = layout.lineForTextPosition(start).lineNumber()
        last = layout.lineForTextPosition(start + len(mul.op) - 1).lineNumber()
        assert first == last, block.text()


def editor_columns_ok(window) -> bool:
    editor = window.editor
    return editor.viewport().width() >= editor.fontMetrics().horizontalAdvance("x" * 40)


def test_teaching_panes_leave_the_editor_forty_columns(projector, qtbot):
    window = projector
    window.presentation.set_active(True)
    window.backward_stepper.open()
    window.lessons.show_lessons()
    settle(qtbot)
    assert window.width() == 1280  # the window did not grow past the projector
    assert editor_columns_ok(window)
    tabbed = window.tabifiedDockWidgets(window.inspector_dock)
    assert {window.lessons.dock, window.backward_stepper.dock} <= set(tabbed)
    window.tabs.setCurrentWidget(window.training_panel)
    settle(qtbot)
    assert window.width() == 1280
    assert editor_columns_ok(window)


def test_a_teaching_pane_takes_its_room_from_a_wide_editor_not_the_graph(projector, qtbot):
    window = projector
    window.editor.setPlainText("w = torch.tensor([0.5], requires_grad=True)  # " + "x" * 60)
    window.presentation.set_active(True)
    window.arrange_columns()  # the editor as wide as that line allows
    settle(qtbot)
    assert window.editor_dock.width() > window.centralWidget().width()
    window.backward_stepper.open()
    qtbot.waitUntil(
        lambda: (
            window.centralWidget().width() >= window.editor_dock.width()
            or window.editor_dock.width() <= window.editor_dock.minimumSizeHint().width()
        ),
        timeout=5_000,
    )
    assert editor_columns_ok(window)
    assert window.width() == 1280


@pytest.mark.parametrize("size", [(1400, 860), (1280, 720)])
def test_the_default_layout_shows_the_starter_code_and_every_variable_column(qtbot, settings, size):
    window = starter_window(qtbot, settings, size)
    editor = window.editor
    assert editor.toPlainText() == default_code()
    assert editor.horizontalScrollBar().maximum() == 0  # no line runs past the edge
    table = window.variables
    assert table.rowCount() == 2
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    window.close()


def _trained_lab_in_presentation(window, qtbot, task: str) -> None:
    """Presentation mode on, the lab shown, ``task`` trained to the end at full speed."""
    from autograd_playground.core.training.pacing import MAX
    from autograd_playground.gui.screenshot import show_view

    show_view(window, presentation=True, tab="lab", task=task)
    panel = window.training_panel
    panel.apply_training_settings({"speed": MAX})
    with qtbot.waitSignal(
        panel.state_changed, timeout=60_000, check_params_cb=lambda state: state == "finished"
    ):
        panel.start()
    with qtbot.waitSignal(panel.frame_drawn, timeout=5_000):
        panel.request_frame()
    settle(qtbot)


def _whole_text_shown(widget) -> bool:
    from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QStyleOptionComboBox

    metrics = widget.fontMetrics()
    if isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            widget,
        )
        return metrics.horizontalAdvance(widget.currentText()) <= field.width()
    if isinstance(widget, QLabel) and widget.wordWrap() and widget is not widget.parent().progress:
        return widget.heightForWidth(widget.contentsRect().width()) <= widget.height()
    if isinstance(widget, QLabel):  # the progress too: on one line, never broken in a word
        lines = widget.text().splitlines() or [""]
        fits = all(
            metrics.horizontalAdvance(line) <= widget.contentsRect().width() for line in lines
        )
        return fits and len(lines) * metrics.lineSpacing() <= widget.height()
    return widget.width() >= widget.minimumSizeHint().width()  # a button


@pytest.mark.parametrize(
    ("task", "theme"), [("linreg_scratch", "system"), ("quadratic", "high-contrast")]
)
def test_the_labs_controls_show_their_whole_text_at_projector_size(projector, qtbot, task, theme):

    window = projector
    window.themes.set_theme(theme)
    try:
        _check_lab_controls(window, qtbot, task)
    finally:
        window.presentation.set_active(False)
        window.themes.set_theme("system")


def _check_lab_controls(window, qtbot, task: str) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

    _trained_lab_in_presentation(window, qtbot, task)
    panel = window.training_panel
    assert panel.settings_summary.isVisible()
    # Opened, the folded settings show their whole text too.
    panel.settings_summary.setChecked(True)
    settle(qtbot)
    controls = [
        widget
        for widget in panel.findChildren(QWidget)
        if widget.parentWidget() is panel and widget is not panel.plots and widget.isVisible()
    ]
    assert panel.estimate in controls
    assert panel.speed_combo in controls
    for widget in controls:
        if isinstance(widget, (QLabel, QComboBox, QPushButton)):
            shown = widget.text() if hasattr(widget, "text") else widget.currentText()
            assert _whole_text_shown(widget), shown
        assert panel.rect().contains(widget.geometry()), widget
    for index, widget in enumerate(controls):
        for other in controls[index + 1 :]:
            assert not widget.geometry().intersects(other.geometry()), (widget, other)


def test_plot_legends_lie_outside_the_curves_at_projector_size(projector, qtbot):
    window = projector
    _trained_lab_in_presentation(window, qtbot, "linreg_scratch")
    plots = window.training_panel.plots
    for plot in (plots.loss_plot, plots.param_plot, plots.grad_plot):
        item = plot.getPlotItem()
        legend, view = item.legend, item.getViewBox()
        assert len(legend.items) >= 2
        legend_rect = legend.sceneBoundingRect()
        assert not legend_rect.intersects(view.sceneBoundingRect())
        # Not cut: the whole legend lies inside the plot.
        assert QRectF(plot.rect()).contains(legend_rect), legend_rect
        for _sample, label in legend.items:
            assert legend_rect.contains(label.sceneBoundingRect())
    # The epoch marks keep their size; the lines grow.
    assert plots.epoch_curve.opts["symbolSize"] == 9


def test_the_lab_reflows_for_presentation_mode_and_back(projector, qtbot):
    window = projector
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    settle(qtbot)

    def rows() -> tuple[bool, bool]:
        """Whether the learning rate shares the task's row; the readout the progress's."""
        task_row = panel.lr_edit.geometry().center().y() == panel.task_combo.geometry().center().y()
        beside = panel.estimate.geometry().top() == panel.progress.geometry().top()
        return task_row, beside

    assert rows() == (True, True)
    window.presentation.set_active(True)
    panel.settings_summary.setChecked(True)  # the settings, folded there, opened
    settle(qtbot)
    assert rows() == (False, False)
    window.presentation.set_active(False)
    settle(qtbot)
    assert rows() == (True, True)


def test_high_contrast_chosen_in_presentation_mode_leaves_no_font_enlarged_after(projector, qtbot):
    window = projector

    def sizes() -> dict[str, float]:
        return {
            "editor": window.editor.font().pointSizeF(),
            "output": window.output.font().pointSizeF(),
            "dock title": title_ink_height(window.editor_dock),
        }

    normal = sizes()
    window.presentation.set_active(True)
    window.themes.set_theme("high-contrast")  # its style sheet polishes the enlarged fonts
    window.presentation.set_active(False)
    try:
        for theme in ("light", "dark", "high-contrast", "system"):
            window.themes.set_theme(theme)
            settle(qtbot)
            assert sizes() == normal, theme
    finally:
        window.themes.set_theme("system")


def view_heights(panel) -> list[int]:
    """How tall each shown plot's data area is, in pixels."""
    plots = panel.plots
    return [
        round(plot.getPlotItem().getViewBox().sceneBoundingRect().height())
        for plot in (plots.loss_plot, plots.fit_plot, plots.param_plot, plots.grad_plot)
        if plot.isVisible()
    ]


def settings_shown(panel) -> bool:
    return all(f.isVisible() for pair in panel.form.fields for f in pair)


@pytest.mark.parametrize("task", ["quadratic", "linreg_scratch", "two_layer_autograd"])
def test_presentation_folds_the_settings_so_the_plots_have_room(projector, qtbot, task):
    window = projector
    _trained_lab_in_presentation(window, qtbot, task)
    panel = window.training_panel
    summary = panel.settings_summary
    # Folded: one summary line says the settings, and the plots take the room.
    assert summary.isVisible()
    assert not settings_shown(panel)
    assert min(view_heights(panel)) >= 100, view_heights(panel)
    text = " ".join(summary.text().split())
    assert text.startswith("▸ Settings: lr ")
    for value in (
        panel.lr_edit.text(),
        panel.optimizer_combo.currentText(),
        f"{panel.length_spin.value():,} "
        + ("epochs" if panel.batch_spin.isEnabled() else "iterations"),
        panel.speed_combo.currentText(),
    ):
        assert value in text, (value, text)
    # Each of its lines fits the lab.
    metrics = summary.fontMetrics()
    assert all(
        metrics.horizontalAdvance(line) <= panel.contentsRect().width()
        for line in summary.text().splitlines()
    )
    assert panel.rect().contains(summary.geometry())
    # A click opens the settings, and says it in the arrow; the values follow edits.
    qtbot.mouseClick(summary, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert settings_shown(panel)
    assert summary.text().startswith("▾")
    panel.seed_spin.setFocus()
    panel.length_spin.setValue(panel.length_spin.value() + 1)
    assert f"{panel.length_spin.value():,}" in " ".join(summary.text().split())
    # From the keyboard too: Space folds it again.
    summary.setFocus()
    qtbot.keyClick(summary, Qt.Key.Key_Space)
    assert not settings_shown(panel)
    assert summary.text().startswith("▸")
    # Leaving presentation mode: the settings as usual, no summary line.
    window.presentation.set_active(False)
    settle(qtbot)
    assert settings_shown(panel)
    assert panel.description.isVisible()
    assert not summary.isVisible()
    assert panel.plots.log_y.isVisible()


def test_the_lab_s_layer_statistics_keep_the_window_on_a_720_pixel_screen(projector, qtbot):
    projector.tabs.setCurrentWidget(projector.training_panel)
    projector.presentation.set_active(True)
    projector.training_panel.plots.layer_check.setChecked(True)
    settle(qtbot)
    assert projector.minimumSizeHint().height() <= 720
    assert projector.height() <= 720
