"""A learner's CSV file: good files load as numbers, every bad one says where and why."""

from __future__ import annotations

import os

import numpy as np
import pytest

from autograd_playground.core.training.csv_data import (
    MAX_ROWS,
    CsvError,
    load_csv,
    preview_csv,
)
from autograd_playground.core.training.csv_setup import (
    CLASSIFICATION,
    MLP,
    REGRESSION,
    CsvSetup,
)


def write(tmp_path, text: str | bytes, name: str = "data.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def error_of(setup: CsvSetup, **limits) -> str:
    with pytest.raises(CsvError) as caught:
        load_csv(setup, **limits)
    return str(caught.value)


HOUSES = "size,rooms,price\n50,2,150\n80,3,240.5\n\n120,4,330\n"


def test_a_regression_file_loads_its_chosen_columns_as_numbers(tmp_path):
    path = write(tmp_path, HOUSES)
    data = load_csv(CsvSetup(path, ("size", "rooms"), "price"))
    np.testing.assert_array_equal(data.features, [[50, 2], [80, 3], [120, 4]])
    np.testing.assert_array_equal(data.target, [150, 240.5, 330])
    assert data.kind == REGRESSION
    assert data.classes is None
    assert data.note is None
    assert data.feature_names == ("size", "rooms")


def test_text_labels_become_class_indices(tmp_path):
    path = write(tmp_path, "x1,x2,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n7,8,versicolor\n")
    data = load_csv(CsvSetup(path, ("x1", "x2"), "species"))
    assert data.kind == CLASSIFICATION
    assert data.classes == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(data.target, [0, 2, 0, 1])
    assert data.target.dtype == np.int64


def test_a_few_whole_numbers_are_classes_in_numeric_order(tmp_path):
    path = write(tmp_path, "x,digit\n1,10\n2,2\n3,2.0\n4,1\n")
    data = load_csv(CsvSetup(path, ("x",), "digit"))
    assert data.classes == ("1", "2", "10")  # 2 and 2.0 are one class; 10 after 2
    np.testing.assert_array_equal(data.target, [2, 1, 1, 0])


def test_a_few_whole_numbers_can_be_asked_for_as_a_regression(tmp_path):
    path = write(tmp_path, "x,digit\n1,10\n2,2\n")
    data = load_csv(CsvSetup(path, ("x",), "digit", kind=REGRESSION))
    assert data.classes is None
    np.testing.assert_array_equal(data.target, [10, 2])


def test_fractions_are_a_regression_target_and_numbers_may_be_asked_as_classes(tmp_path):
    path = write(tmp_path, "x,y\n1,0.5\n2,1.5\n")
    assert load_csv(CsvSetup(path, ("x",), "y")).classes is None
    forced = load_csv(CsvSetup(path, ("x",), "y", kind=CLASSIFICATION))
    assert forced.classes == ("0.5", "1.5")


def test_semicolons_and_tabs_separate_columns_too(tmp_path):
    for separator in (";", "\t"):
        lines = [["a", "b"], ["1", "2.5"], ["3", "4.5"]]
        path = write(tmp_path, "".join(separator.join(line) + "\n" for line in lines))
        data = load_csv(CsvSetup(path, ("a",), "b"))
        np.testing.assert_array_equal(data.features, [[1], [3]])
        np.testing.assert_array_equal(data.target, [2.5, 4.5])


def test_a_bad_feature_value_names_its_row_and_column(tmp_path):
    # Line 5 of the file: the blank line counts, as an editor numbers it.
    path = write(tmp_path, "size,price\n50,150\n60,170\n\nabc,200\n")
    message = error_of(CsvSetup(path, ("size",), "price"))
    assert message == "data.csv, row 5, column 'size': 'abc' is not a number."


def test_a_text_in_a_regression_target_names_its_row_and_column(tmp_path):
    rows = "".join(f"{i},{i * 1.5}\n" for i in range(60)) + "60,n/a\n"
    path = write(tmp_path, "x,price\n" + rows)
    expected = "data.csv, row 62, column 'price': 'n/a' is not a number."
    # Too many values to be classes: the one text among numbers is a typo.
    assert error_of(CsvSetup(path, ("x",), "price")) == expected
    assert error_of(CsvSetup(path, ("x",), "price", kind=REGRESSION)) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("nan", "'nan' is not a finite number"),
        ("inf", "'inf' is not a finite number"),
        ("-Infinity", "'-Infinity' is not a finite number"),
        ("", "the value is empty"),
        ("1,5", "'1,5' is not a number"),
    ],
)
def test_values_that_are_not_finite_numbers_are_refused(tmp_path, cell, reason):
    path = write(tmp_path, f'x,y\n1,2\n"{cell}",3\n')
    assert error_of(CsvSetup(path, ("x",), "y")) == f"data.csv, row 3, column 'x': {reason}."


def test_an_empty_file_says_it_is_empty(tmp_path):
    for text in ("", "\n\n  \n"):
        path = write(tmp_path, text)
        expected = "data.csv is empty: there is no header or data in it."
        assert error_of(CsvSetup(path, ("x",), "y")) == expected
        with pytest.raises(CsvError, match="is empty"):
            preview_csv(path)


def test_a_header_without_rows_says_so(tmp_path):
    path = write(tmp_path, "x,y\n")
    assert error_of(CsvSetup(path, ("x",), "y")) == "data.csv has a header but no rows of data."
    with pytest.raises(CsvError, match="no rows of data"):
        preview_csv(path)


def test_a_missing_column_lists_the_columns_there_are(tmp_path):
    path = write(tmp_path, HOUSES)
    message = error_of(CsvSetup(path, ("size", "area"), "price"))
    assert message == "data.csv has no column 'area' (its columns: size, rooms, price)."


def test_a_ragged_row_names_its_row_and_counts(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5\n")
    message = error_of(CsvSetup(path, ("a",), "c"))
    assert message == "data.csv, row 3: it has 2 values, but the header names 3."
    path = write(tmp_path, "a,b,c\n1,2,3,4\n")
    assert "row 2: it has 4 values" in error_of(CsvSetup(path, ("a",), "c"))


def test_a_file_that_is_not_utf8_names_the_row_and_byte(tmp_path):
    path = write(tmp_path, "city,x\nParis,1\nZ\xfcrich,2\n".encode("latin-1"))
    message = error_of(CsvSetup(path, ("x",), "city"))
    assert message == (
        "data.csv is not UTF-8 text (row 3 holds the byte 0xfc): save it as CSV in UTF-8."
    )
    with pytest.raises(CsvError, match="not UTF-8"):
        preview_csv(path)


def test_a_binary_file_is_refused(tmp_path):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="picture.csv")
    message = error_of(CsvSetup(path, ("x",), "y"))
    assert message == "picture.csv looks like a binary file, not CSV text."


def test_a_missing_file_and_a_folder_say_so(tmp_path):
    gone = CsvSetup(str(tmp_path / "gone.csv"), ("x",), "y")
    assert error_of(gone) == "Could not open gone.csv: it does not exist."
    folder = CsvSetup(str(tmp_path), ("x",), "y")
    assert error_of(folder).endswith(": it is a folder, not a file.")


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path, "\ufeffx,y\n1,2\n")
    assert preview_csv(path).columns == ["x", "y"]


def test_the_choice_itself_must_make_sense(tmp_path):
    path = write(tmp_path, HOUSES)
    message = error_of(CsvSetup(path, ("size", "price"), "price"))
    assert message == "The column 'price' cannot be both a feature and the target."
    path = write(tmp_path, "a,b,a\n1,2,3\n")
    assert "names the column 'a' twice (columns 1 and 3)" in error_of(CsvSetup(path, ("a",), "b"))


def test_a_classification_needs_two_labels_at_least(tmp_path):
    path = write(tmp_path, "x,label\n1,cat\n2,cat\n")
    message = error_of(CsvSetup(path, ("x",), "label"))
    assert message == (
        "The target column 'label' holds 1 different labels: a classification needs from 2 to 50."
    )


def test_a_file_with_more_rows_than_the_lab_takes_keeps_the_first(tmp_path):
    rows = MAX_ROWS + 5
    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i % 7 + 0.5}\n" for i in range(rows)))
    data = load_csv(CsvSetup(path, ("x",), "y"))
    assert len(data.features) == MAX_ROWS
    assert data.features[-1, 0] == MAX_ROWS - 1
    assert str(data.note) == (
        "data.csv has more than 100,000 rows: the lab trains on the first 100,000."
    )


def test_a_file_bigger_than_the_byte_limit_is_cut_at_a_line_end(tmp_path):
    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i}.25\n" for i in range(1000)))
    data = load_csv(CsvSetup(path, ("x",), "y"), max_bytes=1024 * 1024 // 1024)  # 1 KiB
    kept = len(data.features)
    assert 50 < kept < 1000
    np.testing.assert_array_equal(data.target[-1], kept - 1 + 0.25)  # a whole last line
    assert str(data.note) == (
        f"data.csv is larger than 0.000976562 MB: the lab trains on its first {kept:,} rows, "
        "read from its first 0.000976562 MB."
    )


def test_the_preview_reads_only_the_first_rows(tmp_path):
    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i}\n" for i in range(100_000)))
    preview = preview_csv(path, rows=3)
    assert preview.columns == ["x", "y"]
    assert preview.rows == [["0", "0"], ["1", "1"], ["2", "2"]]


def test_a_setup_round_trips_through_json_and_refuses_strangers():
    setup = CsvSetup("/data/houses.csv", ("size", "rooms"), "price", CLASSIFICATION, MLP)
    assert CsvSetup.from_json(setup.as_json()) == setup
    assert CsvSetup.from_json({"path": "a.csv", "features": ["x"], "target": "y"}) == CsvSetup(
        "a.csv", ("x",), "y"
    )
    for bad in (
        "a.csv",
        {"path": "a.csv", "features": [], "target": "y"},
        {"path": "a.csv", "features": "x", "target": "y"},
        {"path": "a.csv", "features": ["x"], "target": "y", "model": "resnet"},
        {"path": "a.csv", "features": ["x"], "target": "y", "rows": [[1, 2]]},
    ):
        assert CsvSetup.from_json(bad) is None


def test_a_first_line_longer_than_what_is_read_is_no_table(tmp_path):
    path = write(tmp_path, "x" * 5000 + "\n1\n")
    message = error_of(CsvSetup(path, ("x",), "y"), max_bytes=2048)
    assert message == (
        "data.csv: its first line is longer than 2 KB; a CSV file's lines are rows of a table."
    )


def test_a_field_too_long_for_the_csv_reader_names_its_row(tmp_path):
    path = write(tmp_path, 'x,y\n1,2\n"' + "9" * 200_000 + '",3\n')
    assert error_of(CsvSetup(path, ("x",), "y")) == (
        "data.csv, row 3: field larger than field limit (131072)."
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_refused_rather_than_waited_on(tmp_path):
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    message = error_of(CsvSetup(str(pipe), ("x",), "y"))
    assert message == "Could not open pipe.csv: it is not a file."


def test_blank_header_names_are_named_by_position_and_quotes_keep_commas(tmp_path):
    path = write(tmp_path, ',"size, m²",label\n1,"1,5",a\n2,2.5,b\n')
    assert preview_csv(path).columns == ["column 1", "size, m²", "label"]
    data = load_csv(CsvSetup(path, ("column 1",), "label"))
    np.testing.assert_array_equal(data.features, [[1], [2]])
    message = error_of(CsvSetup(path, ("size, m²",), "label"))
    assert message == "data.csv, row 2, column 'size, m²': '1,5' is not a number."
