"""A session keeps the CSV task's file path and columns, never the data; a file gone
since is said plainly, and the other settings still open."""

from __future__ import annotations

from autograd_playground.core.session.session import Session, read_session, write_session
from autograd_playground.core.training.catalog import CSV_TASK
from autograd_playground.core.training.csv_setup import MLP, CsvSetup
from autograd_playground.core.training.settings import LabSettings, check_settings


def csv_settings(tmp_path) -> tuple[LabSettings, CsvSetup]:
    data = tmp_path / "houses.csv"
    data.write_text("size,price\n98765.4321,123456.789\n55,60\n", encoding="utf-8")
    setup = CsvSetup(str(data), ("size",), "price", model=MLP)
    settings = LabSettings.for_task(CSV_TASK)
    settings.csv, settings.lr = setup, 0.02
    return settings, setup


def test_the_session_file_keeps_the_path_and_columns_not_the_data(tmp_path):
    settings, setup = csv_settings(tmp_path)
    session_path = tmp_path / "lesson.py"
    write_session(session_path, Session(code="x = 1\n", training=settings.as_json()))
    text = session_path.read_text(encoding="utf-8")
    assert str(tmp_path / "houses.csv") in text
    assert '"features": ["size"], "target": "price"' in text
    assert "98765" not in text
    assert "123456" not in text
    loaded = read_session(session_path)
    checked = check_settings(loaded.session.training, "linreg_scratch")
    assert checked.problems == []
    assert checked.values["task"] == CSV_TASK
    assert CsvSetup.from_json(checked.values["csv"]) == setup
    assert checked.values == settings.as_json()


def test_a_session_whose_csv_is_gone_says_so_and_keeps_the_rest(tmp_path):
    settings, setup = csv_settings(tmp_path)
    session_path = tmp_path / "lesson.py"
    write_session(session_path, Session(code="", training=settings.as_json()))
    (tmp_path / "houses.csv").unlink()
    checked = check_settings(read_session(session_path).session.training, "linreg_scratch")
    assert "csv" not in checked.values
    assert checked.values["task"] == CSV_TASK
    assert checked.values["lr"] == 0.02
    [problem] = checked.problems
    assert problem.message_in("en") == (
        f"the CSV file {setup.path} is gone (moved, renamed or deleted): choose it "
        "again with Data… in the lab"
    )
    assert setup.path in problem.message_in("zh")


def test_a_csv_choice_that_is_not_one_is_left_out(tmp_path):
    checked = check_settings({"task": CSV_TASK, "csv": {"path": 3}}, "linreg_scratch")
    assert "csv" not in checked.values
    assert [problem.message_in("en") for problem in checked.problems] == [
        "the CSV choice {'path': 3} is not a file with its columns"
    ]


def test_settings_without_a_csv_choice_write_no_csv_key():
    assert "csv" not in LabSettings.for_task("quadratic").as_json()
