"""Autosave: written atomically, cleared on a clean close, found again after a crash."""

import json
import subprocess
import sys
from pathlib import Path

from autograd_playground.core.session.autosave import Autosave, data_dir
from autograd_playground.core.session.session import Session

ROOT = Path(__file__).resolve().parents[2]


def test_data_dir_honours_the_environment(tmp_path):
    assert data_dir({"AUTOGRAD_PLAYGROUND_DATA_DIR": str(tmp_path)}) == tmp_path


def test_write_then_clear_leaves_nothing(tmp_path):
    autosave = Autosave(tmp_path / "auto")
    autosave.write(Session(code="x = 1\n", training={"seed": 3}), Path("/tmp/lesson.py"))
    record = json.loads(autosave.file.read_text(encoding="utf-8"))
    assert record["code"] == "x = 1\n"
    assert record["training"] == {"seed": 3}
    assert record["path"] == "/tmp/lesson.py"
    autosave.clear()
    assert list((tmp_path / "auto").iterdir()) == []


def test_a_live_sessions_autosave_is_not_taken_for_a_crash(tmp_path):
    running = Autosave(tmp_path)
    running.write(Session(code="mine = 1\n"), None)
    starting = Autosave(tmp_path)
    assert starting.recover() == (None, [])
    running.clear()


def test_a_crashed_sessions_autosave_comes_back(tmp_path):
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from autograd_playground.core.session.autosave import Autosave\n"
        "from autograd_playground.core.session.session import Session\n"
        f"a = Autosave({str(tmp_path)!r})\n"
        "a.write(Session(code='lost = 42\\n', training={'lr': 0.5}), None)\n"
        "os._exit(3)  # dies without cleaning up, as a crash does\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 3, done.stderr
    starting = Autosave(tmp_path)
    recovered, problems = starting.recover()
    assert problems == []
    assert recovered.session == Session(code="lost = 42\n", training={"lr": 0.5})
    assert recovered.path is None
    starting.discard(recovered)
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_autosave_is_reported_once_and_kept(tmp_path):
    (tmp_path / "autosave-bad.json").write_text('{"format": "autograd-playground.autosave", "co')
    recovered, problems = Autosave(tmp_path).recover()
    assert recovered is None
    assert len(problems) == 1
    assert "autosave-bad.json could not be read" in problems[0]
    assert (tmp_path / "autosave-bad.unreadable").exists()
    assert Autosave(tmp_path).recover() == (None, [])


def test_recovery_problems_are_told_in_chinese_on_request(tmp_path):
    (tmp_path / "autosave-other.json").write_text('{"format": "something else", "code": ""}')
    recovered, problems = Autosave(tmp_path).recover("zh")
    assert recovered is None
    kept = tmp_path / "autosave-other.unreadable"
    assert problems == [
        f"自动保存文件 autosave-other.json 不是本应用写的。该文件已改名为 {kept} 保留。"
    ]
