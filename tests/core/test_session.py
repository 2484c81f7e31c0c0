"""Session files: the round trip, bad files, atomic saves, the exported script, recent files."""

import errno
import os
import subprocess
import sys

import pytest

from autograd_playground.core.session import session as session_module
from autograd_playground.core.session.recent_files import RecentFiles
from autograd_playground.core.session.script_export import export_script
from autograd_playground.core.session.session import (
    MAGIC_LINE,
    Session,
    SessionError,
    format_session,
    plain_reason,
    read_session,
    write_session,
)

SETTINGS = {
    "task": "quadratic",
    "lr": 0.0125,
    "batch_size": 0,
    "length": 400,
    "optimizer": "adam",
    "seed": 7,
    "follow_graph": True,
}
CODE = (
    "# a comment first\n"
    "x = torch.arange(4.0, requires_grad=True)\n"
    "s = 'π ≈ 3.14'\n"
    "y = 2 * torch.dot(x, x)\n"
    "y.backward()\n"
    "x.grad"
)


def test_round_trip_keeps_code_and_settings_identical(tmp_path):
    path = tmp_path / "lesson.py"
    write_session(path, Session(code=CODE, training=SETTINGS))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == MAGIC_LINE == "# autograd-playground session 1"
    assert lines[1].startswith("# training: {")
    loaded = read_session(path)
    assert loaded.session.code == CODE
    assert loaded.session.training == SETTINGS
    assert loaded.has_header
    assert loaded.problem is None


def test_code_that_starts_like_a_header_survives(tmp_path):
    tricky = '# training: {"not": "ours"}\r\nprint(1)\n\n'
    path = tmp_path / "tricky.py"
    write_session(path, Session(code=tricky, training={}))
    loaded = read_session(path)
    assert loaded.session.code == tricky
    assert loaded.session.training == {}


def test_plain_python_file_gives_just_the_code(tmp_path):
    path = tmp_path / "plain.py"
    path.write_text("x = 1\nx + 1\n", encoding="utf-8")
    loaded = read_session(path)
    assert loaded.session == Session(code="x = 1\nx + 1\n", training={})
    assert not loaded.has_header
    assert loaded.problem is None


def test_corrupt_header_opens_the_code_with_a_warning(tmp_path):
    path = tmp_path / "corrupt.py"
    path.write_text(f'{MAGIC_LINE}\n# training: {{"lr": 0.1,, "task"}}\nx = 1\n', encoding="utf-8")
    loaded = read_session(path)
    assert loaded.session.code == "x = 1\n"
    assert loaded.session.training == {}
    assert "Line 2 of corrupt.py" in loaded.problem_in("en")
    assert "training settings could not be read" in loaded.problem_in("en")


def test_truncated_file_says_the_settings_stop_in_the_middle(tmp_path):
    path = tmp_path / "cut.py"
    whole = format_session(Session(code="x = 1\n", training=SETTINGS))
    path.write_text(whole[: whole.index('"optimizer"')], encoding="utf-8")
    loaded = read_session(path)
    assert loaded.session.code == ""
    assert "Line 2 of cut.py" in loaded.problem_in("en")
    assert "cut short" in loaded.problem_in("en")


def test_settings_that_are_not_an_object_are_refused_with_the_line(tmp_path):
    path = tmp_path / "list.py"
    path.write_text(f"{MAGIC_LINE}\n# training: [1, 2]\ny = 2\n", encoding="utf-8")
    loaded = read_session(path)
    assert loaded.session.code == "y = 2\n"
    assert "Line 2 of list.py" in loaded.problem_in("en")
    assert "not list" in loaded.problem_in("en")


def test_unknown_version_opens_the_code_and_names_line_one(tmp_path):
    path = tmp_path / "future.py"
    path.write_text('# autograd-playground session 7\n# training: {"lr": 1}\nz = 3\n')
    loaded = read_session(path)
    assert loaded.session == Session(code="z = 3\n", training={})
    assert "Line 1 of future.py" in loaded.problem_in("en")
    assert "version '7'" in loaded.problem_in("en")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"image\.py is not UTF-8 text \(byte 0x89"),
        (b"x = 1\x00\x00\x02", r"image\.py looks like a binary file"),
        ("x = 'café'\n".encode("latin-1"), r"image\.py is not UTF-8 text \(byte 0xe9"),
        (b"", r"image\.py is empty"),
    ],
)
def test_unreadable_files_raise_a_clear_session_error(tmp_path, content, message):
    path = tmp_path / "image.py"
    path.write_bytes(content)
    with pytest.raises(SessionError, match=message):
        read_session(path)


def test_missing_and_huge_files_are_refused(tmp_path):
    with pytest.raises(SessionError, match=r"Could not open gone\.py: it does not exist"):
        read_session(tmp_path / "gone.py")
    huge = tmp_path / "huge.py"
    huge.write_bytes(b"# x\n" * (session_module.MAX_BYTES // 4 + 1))
    with pytest.raises(SessionError, match=r"huge\.py is larger than 5 MB"):
        read_session(huge)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_read_only_folder_gives_permission_denied(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(SessionError, match=r"Could not save s\.py: permission denied"):
            write_session(folder / "s.py", Session(code="x = 1\n"))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_said_in_plain_words(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(session_module.os, "open", denied)
    with pytest.raises(SessionError, match=r"Could not save s\.py: permission denied \(the file"):
        write_session(tmp_path / "s.py", Session(code="x = 1\n"))


def test_full_disk_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "keep.py"
    write_session(path, Session(code="old = 1\n", training={"seed": 1}))
    before = path.read_bytes()

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(session_module.os, "write", full_disk)
    with pytest.raises(SessionError, match=r"Could not save keep\.py: the disk is full"):
        write_session(path, Session(code="new = 2\n" * 1000, training={"seed": 2}))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.py"]


def test_a_failed_rename_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "keep.py"
    path.write_text("old = 1\n")

    def broken_replace(src, dst):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(session_module.os, "replace", broken_replace)
    with pytest.raises(SessionError, match=r"Could not save keep\.py: input/output error"):
        write_session(path, Session(code="new = 2\n"))
    monkeypatch.undo()
    assert path.read_text() == "old = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.py"]


def test_save_keeps_the_file_mode_and_writes_through_a_link(tmp_path):
    real = tmp_path / "real.py"
    real.write_text("a = 1\n")
    real.chmod(0o640)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_session(link, Session(code="b = 2\n"))
    assert link.is_symlink()
    assert read_session(real).session.code == "b = 2\n"
    assert real.stat().st_mode & 0o777 == 0o640


def test_settings_that_json_cannot_hold_are_refused(tmp_path):
    with pytest.raises(SessionError, match="cannot be written as JSON"):
        write_session(tmp_path / "nan.py", Session(code="", training={"lr": float("nan")}))
    assert not (tmp_path / "nan.py").exists()


def _run_script(tmp_path, text):
    script = tmp_path / "exported.py"
    script.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )


def test_exported_script_runs_with_python_and_prints_the_last_value(tmp_path):
    text = export_script(Session(code=CODE, training=SETTINGS), filename="exported.py")
    assert "import torch\n" in text
    assert 'device = torch.device("cpu")' in text
    done = _run_script(tmp_path, text)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "tensor([ 0.,  4.,  8., 12.])"


def test_exported_script_keeps_comments_and_shares_of_a_line(tmp_path):
    code = "a = torch.ones(2, device=device); (a * 3).sum()  # the total\n# the end\n"
    text = export_script(Session(code=code))
    assert "# the total" in text
    assert text.rstrip().endswith("# the end")
    done = _run_script(tmp_path, text)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "tensor(6.)"


def test_exported_script_prints_nothing_for_none_and_keeps_syntax_errors(tmp_path):
    quiet = export_script(Session(code="x = torch.ones(1, requires_grad=True)\nx.grad\n"))
    done = _run_script(tmp_path, quiet)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    broken = export_script(Session(code="x = (1,\n"))
    assert broken.endswith("x = (1,\n")
    done = _run_script(tmp_path, broken)
    assert "SyntaxError" in done.stderr


def test_exported_device_falls_back_to_cpu_where_it_is_missing():
    text = export_script(Session(code="device"), device="cuda:0")
    assert 'torch.device("cuda:0" if torch.cuda.is_available() else "cpu")' in text


def test_recent_files_order_dedupe_limit_and_missing(tmp_path):
    files = [tmp_path / f"f{i}.py" for i in range(12)]
    for file in files:
        file.write_text("x = 1\n")
    recent = RecentFiles()
    for file in files:
        recent.add(file)
    assert recent.paths() == files[::-1][:10]
    recent.add(tmp_path / "sub" / ".." / "f5.py")  # the same file, spelled differently
    assert recent.paths()[0] == files[5]
    assert len(recent.paths()) == 10
    assert recent.paths().count(files[5]) == 1
    files[5].unlink()
    assert files[5] not in recent.paths()
    assert len(recent.to_list()) == 9
    again = RecentFiles([*recent.to_list(), str(files[11]), "", 42])
    assert again.paths() == recent.paths()
    again.clear()
    assert again.paths() == []


def test_session_errors_and_header_problems_are_written_in_chinese_too(tmp_path):
    with pytest.raises(SessionError) as missing:
        read_session(tmp_path / "gone.py")
    assert str(missing.value) == "Could not open gone.py: it does not exist."
    assert missing.value.message_in("zh") == "无法打开 gone.py：文件不存在。"

    binary = tmp_path / "blob.py"
    binary.write_bytes(b"x = 1\x00\x01")
    with pytest.raises(SessionError) as caught:
        read_session(binary)
    assert caught.value.message_in("zh") == "blob.py 看起来是二进制文件，不是 Python 源代码。"

    full = OSError(errno.ENOSPC, "No space left on device")
    assert plain_reason(full).in_language("en") == "the disk is full"
    assert plain_reason(full).in_language("zh") == "磁盘已满"
    odd = OSError(errno.EIO, "Input/output error")
    assert plain_reason(odd) == "input/output error"  # the system's own words

    corrupt = tmp_path / "corrupt.py"
    corrupt.write_text("# autograd-playground session 1\n# training: {oops\nx = 1\n")
    loaded = read_session(corrupt)
    assert loaded.problem_in("en").startswith("Line 2 of corrupt.py (the training settings)")
    assert loaded.problem_in("zh").startswith("corrupt.py 第 2 行（训练设置）不是有效的 JSON")
