"""The lab trains on a learner's CSV file: chosen in a dialog, previewed, then trained."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from autograd_playground.core.training.catalog import CSV_TASK
from autograd_playground.core.training.csv_setup import CLASSIFICATION, LINEAR, MLP, CsvSetup
from autograd_playground.gui.training.csv_dialog import CsvDialog
from autograd_playground.gui.training.panel import TrainingPanel


def _panel(qtbot) -> TrainingPanel:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _line_file(tmp_path, rows: int = 30) -> str:
    path = tmp_path / "line.csv"
    path.write_text(
        "id,x,y\n" + "".join(f"row{i},{i},{3 * i + 2}\n" for i in range(rows)), encoding="utf-8"
    )
    return str(path)


def _run_to(qtbot, panel, state: str) -> None:
    with qtbot.waitSignal(
        panel.state_changed, check_params_cb=lambda given: given == state, timeout=60_000
    ):
        panel.start()


def test_the_dialog_previews_a_file_and_offers_its_columns(qtbot, tmp_path):
    dialog = CsvDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no file yet
    assert dialog.load_path(_line_file(tmp_path))
    assert dialog.table.columnCount() == 3
    assert dialog.table.rowCount() == 8  # the first rows only
    assert dialog.table.item(1, 0).text() == "row1"
    assert dialog.table.item(1, 2).text() == "5"
    # The last column is the target; the other columns of numbers are the features.
    assert dialog.target_combo.currentText() == "y"
    assert dialog.chosen_features() == ["x"]
    target_item = dialog.feature_list.item(2)
    assert not target_item.flags() & Qt.ItemFlag.ItemIsEnabled  # the target is no feature
    assert ok.isEnabled()
    dialog.model_combo.setCurrentIndex(dialog.model_combo.findData(MLP))
    assert dialog.setup() == CsvSetup(str(tmp_path / "line.csv"), ("x",), "y", model=MLP)
    # Choosing x as the target frees y to be a feature and takes x out of the features.
    dialog.target_combo.setCurrentText("x")
    assert dialog.chosen_features() == []
    assert not ok.isEnabled()


def test_the_dialog_says_why_a_file_cannot_be_used(qtbot, tmp_path):
    dialog = CsvDialog()
    qtbot.addWidget(dialog)
    header_only = tmp_path / "empty.csv"
    header_only.write_text("x,y\n", encoding="utf-8")
    assert not dialog.load_path(str(header_only))
    assert dialog.problem.text() == "empty.csv has a header but no rows of data."
    assert dialog.feature_list.count() == 0
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_the_dialog_opens_on_the_choice_made_before(qtbot, tmp_path):
    setup = CsvSetup(_line_file(tmp_path), ("id",), "x", kind=CLASSIFICATION, model=LINEAR)
    dialog = CsvDialog(setup)
    qtbot.addWidget(dialog)
    assert dialog.setup() == setup


def test_a_csv_file_chosen_in_the_lab_trains_and_draws_its_fit(qtbot, tmp_path, monkeypatch):
    from autograd_playground.core.training import csv_data

    loaded_on = []

    def load_and_note_the_thread(setup):
        loaded_on.append(threading.current_thread())
        return read_whole_file(setup)

    read_whole_file = csv_data.load_csv
    monkeypatch.setattr(csv_data, "load_csv", load_and_note_the_thread)
    panel = _panel(qtbot)
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(CSV_TASK))
    assert panel.form.csv_row.isVisible()
    panel.start()  # nothing chosen yet: the lab says what to do
    assert panel.message.text() == "Choose a CSV file and its columns first (Data…)."
    assert panel.state == "idle"
    panel.form.csv_row.button.click()
    dialog = panel.csv_dialog
    assert dialog.isVisible()
    dialog.load_path(_line_file(tmp_path))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert panel.form.csv_row.setup == CsvSetup(str(tmp_path / "line.csv"), ("x",), "y")
    assert panel.form.csv_row.label.text() == "line.csv: x → y"
    assert panel.training_settings()["csv"]["path"] == str(tmp_path / "line.csv")
    panel.length_spin.setValue(20)
    panel.batch_spin.setValue(10)
    panel.lr_edit.setText("0.1")
    _run_to(qtbot, panel, "finished")
    panel.plots.redraw()
    assert len(panel.plots.loss_series) == 60  # 20 epochs of 3 batches
    assert panel.message.text() == ""
    x, y = panel.plots.fit_curve.getData()
    assert list(x) == list(range(30))
    assert abs(y[-1] - 89) < 3  # 3 · 29 + 2, in the file's units
    # The whole file is read on the training thread: a big one never holds up the window.
    assert len(loaded_on) == 1
    assert loaded_on[0] is not threading.main_thread()
    panel.shutdown()


def test_a_bad_value_in_the_file_stops_the_run_and_names_it(qtbot, tmp_path):
    panel = _panel(qtbot)
    path = tmp_path / "bad.csv"
    path.write_text("x,y\n1,2\n2,4\n3,four\n4,8\n5,10.5\n", encoding="utf-8")
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(CSV_TASK))
    panel.form.csv_row.set_setup(CsvSetup(str(path), ("y",), "x"))
    _run_to(qtbot, panel, "stopped")
    assert panel.message.text() == "bad.csv, row 4, column 'y': 'four' is not a number."
    panel.shutdown()


def test_a_file_longer_than_the_lab_takes_trains_on_its_first_rows_and_says_so(qtbot, tmp_path):
    from autograd_playground.core.training.csv_data import MAX_ROWS

    panel = _panel(qtbot)
    path = tmp_path / "long.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i / 2}\n" for i in range(MAX_ROWS + 1)))
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(CSV_TASK))
    panel.form.csv_row.set_setup(CsvSetup(str(path), ("x",), "y"))
    panel.batch_spin.setValue(0)  # the whole data set a step
    panel.length_spin.setValue(3)
    _run_to(qtbot, panel, "finished")
    assert panel.message.text() == (
        "long.csv has more than 100,000 rows: the lab trains on the first 100,000."
    )
    panel.plots.redraw()
    x, _ = panel.plots.fit_curve.getData()
    assert len(x) == MAX_ROWS
    panel.shutdown()


def test_opening_settings_whose_csv_is_gone_keeps_the_rest(qtbot, tmp_path):
    panel = _panel(qtbot)
    gone = str(tmp_path / "gone.csv")
    problems = panel.apply_training_settings(
        {"task": CSV_TASK, "lr": 0.5, "csv": {"path": gone, "features": ["a"], "target": "b"}}
    )
    assert problems == [
        f"the CSV file {gone} is gone (moved, renamed or deleted): choose it again "
        "with Data… in the lab"
    ]
    assert panel.current_task() == CSV_TASK
    assert panel.lr_edit.text() == "0.5"
    assert panel.form.csv_row.setup is None
    panel.shutdown()


def test_the_dialog_speaks_chinese(qtbot, tmp_path):
    from autograd_playground.gui.ui_text import apply_ui_language
    from tests.gui.test_chinese_everywhere import _widget_texts, english_words

    apply_ui_language("zh")
    path = tmp_path / "line.csv"
    path.write_text("x,y\n1,2\n2,4\n", encoding="utf-8")
    dialog = CsvDialog(CsvSetup(str(path), ("x",), "y"))
    qtbot.addWidget(dialog)
    texts = [
        text for widget in (dialog, *dialog.findChildren(QWidget)) for text in _widget_texts(widget)
    ]
    assert "确定" in texts
    assert not english_words([text for text in texts if text])
    # The model's names stay as written, as code does.
    assert any("MLP" in text and "tanh" in text for text in texts)


def test_a_saved_session_reopens_its_csv_choice_or_says_the_file_is_gone(window, tmp_path):
    from tests.gui.test_sessions import FakeDialogs

    dialogs = window.sessions.dialogs = FakeDialogs()
    panel = window.training_panel
    data = _line_file(tmp_path)
    setup = CsvSetup(data, ("x",), "y", model=MLP)
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(CSV_TASK))
    panel.form.csv_row.set_setup(setup)
    panel.lr_edit.setText("0.3")
    window.editor.setPlainText("x = 1\n")
    lesson = tmp_path / "lesson.py"
    dialogs.save_answers.append(lesson)
    assert window.sessions.save_as()
    assert "row1" not in lesson.read_text(encoding="utf-8")  # the path, never the data

    for present in (True, False):
        window.sessions.new_session()
        panel.form.csv_row.set_setup(None)
        if not present:
            (tmp_path / "line.csv").unlink()
        assert window.sessions.open_path(lesson)
        assert window.editor.toPlainText() == "x = 1\n"
        assert panel.current_task() == CSV_TASK
        assert panel.lr_edit.text() == "0.3"
        if present:
            assert panel.form.csv_row.setup == setup
            assert dialogs.warnings == []
        else:
            assert panel.form.csv_row.setup is None
            [(_, text)] = dialogs.warnings
            assert f"the CSV file {data} is gone (moved, renamed or deleted)" in text
