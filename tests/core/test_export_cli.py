"""``autograd-playground export``: a script's graph written to a file, or a clear failure."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_playground.core.export_cli import main

FIRST_PATH = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "first.py"
    path.write_text(FIRST_PATH)
    return path


def test_json_export(script, tmp_path, capsys):
    out = tmp_path / "graph.json"
    assert main([str(script), "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["format"] == "autograd-playground.graph"
    assert data["version"] == 2
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes["leaf:x"]["grad"] == [0.0, 4.0, 8.0, 12.0]
    assert nodes["leaf:x"]["shape"] == [4]
    assert sorted(n["op"] for n in data["nodes"] if n["kind"] == "op") == [
        "DotBackward0",
        "MulBackward0",
    ]
    dot = next(n["id"] for n in data["nodes"] if n["op"] == "DotBackward0")
    flow = [(e["source"], e["target"]) for e in data["edges"] if e["kind"] == "flow"]
    assert flow.count(("leaf:x", dot)) == 2
    assert all(edge["kind"] in ("flow", "saved", "view") for edge in data["edges"])
    assert "Wrote" in capsys.readouterr().out


def test_json_stays_strict_with_nan_and_inf(tmp_path):
    script = tmp_path / "nonfinite.py"
    script.write_text("x = torch.tensor([1.0, 0.0, -1.0], requires_grad=True)\ny = torch.log(x)\n")
    out = tmp_path / "graph.json"
    assert main([str(script), "-o", str(out)]) == 0

    def refuse(constant):
        raise ValueError(f"non-strict JSON constant {constant}")

    data = json.loads(out.read_text(), parse_constant=refuse)
    y = next(node for node in data["nodes"] if node["name"] == "y")
    assert y["value"] == [0.0, "-Infinity", "NaN"]
    assert y["value_nan_count"] == 1
    assert y["value_inf_count"] == 1


@pytest.mark.parametrize("suffix", [".dot", ".svg", ".png"])
def test_picture_exports(script, tmp_path, suffix):
    out = tmp_path / f"graph{suffix}"
    assert main([str(script), "-o", str(out)]) == 0
    data = out.read_bytes()
    expected = {".dot": b"digraph", ".svg": b"<svg", ".png": b"\x89PNG"}[suffix]
    assert expected in data[:400]
    if suffix == ".dot":
        assert b"grad [0, 4, 8, 12]" in data


def test_failing_script_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("a = torch.ones(2)\nb = a.nope\n")
    assert main([str(bad), "-o", str(tmp_path / "g.json")]) == 1
    err = capsys.readouterr().err
    assert err == "error: bad.py: line 2: AttributeError: 'Tensor' object has no attribute 'nope'\n"


def test_unknown_root(script, tmp_path, capsys):
    assert main([str(script), "-o", str(tmp_path / "g.json"), "--root", "nope"]) == 1
    assert "no tensor named 'nope'" in capsys.readouterr().err


def test_runaway_script_is_stopped_at_the_timeout(tmp_path, capsys):
    loop = tmp_path / "loop.py"
    loop.write_text("while True:\n    pass\n")
    assert main([str(loop), "-o", str(tmp_path / "g.json"), "--timeout", "0.5"]) == 1
    assert "stopped after 0.5 s (--timeout)" in capsys.readouterr().err


def test_binary_file_is_refused(tmp_path, capsys):
    binary = tmp_path / "data.py"
    binary.write_bytes(b"\x89PNG\x00\x01\xff")
    assert main([str(binary), "-o", str(tmp_path / "g.json")]) == 1
    assert "not UTF-8 text" in capsys.readouterr().err


def test_console_entry_runs_export(script, tmp_path):
    out = tmp_path / "g.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", str(script), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["nodes"]


def _export_in_a_process(script: Path, out: Path) -> subprocess.CompletedProcess:
    # The timeout is the bound at which a hanging command fails the test, not a speed goal.
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", str(script), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_thread_that_never_ends_does_not_hold_the_command_open(tmp_path):
    script = tmp_path / "threaded.py"
    script.write_text(
        FIRST_PATH + "import threading, time\n"
        "forever = threading.Thread(target=lambda: time.sleep(10**6), daemon=False)\n"
        "forever.start()\n"
    )
    out = tmp_path / "g.json"
    done = _export_in_a_process(script, out)
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out} (" in done.stdout
    assert json.loads(out.read_text())["nodes"]


def test_os_exit_in_the_script_fails_the_command_naming_the_line(tmp_path):
    script = tmp_path / "leaves.py"
    script.write_text(FIRST_PATH + "import os\nos._exit(0)\n")
    out = tmp_path / "g.json"
    done = _export_in_a_process(script, out)
    assert done.returncode == 1
    assert done.stderr == (
        "error: leaves.py: line 5: os._exit(0) was refused: "
        "it would close the whole playground, not just your code\n"
    )
    assert not out.exists()


def test_a_shape_error_is_explained_in_the_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("W = torch.ones(4, 3)\nh = torch.ones(4)\n\ny = W @ h\n")
    assert main([str(bad), "-o", str(tmp_path / "g.json")]) == 1
    assert capsys.readouterr().err == (
        "error: bad.py: line 4: W @ h: W is (4, 3), h is (4): matmul treats the 1-D h as a "
        "vector: W's last dimension (3) must equal h's length (4)\n"
    )


def test_an_autograd_error_comes_with_its_cure(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")
    assert main([str(bad), "-o", str(tmp_path / "g.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad.py: line 3: y.backward(): backward() without an argument")
    assert "y.sum().backward()" in err


LOOP = (
    "x = torch.randn(3, requires_grad=True)\n"
    "y = x\n"
    "for i in range(400):\n"
    "    y = y.tanh() * 1.01\n"
    "out = y.sum()\n"
)


def test_a_large_graph_is_written_folded_unless_every_op_is_asked_for(tmp_path, capsys):
    script = tmp_path / "loop.py"
    script.write_text(LOOP)
    folded, whole = tmp_path / "folded.json", tmp_path / "whole.json"
    assert main([str(script), "-o", str(folded)]) == 0
    assert "1 box fold 800 ops" in capsys.readouterr().out
    document = json.loads(folded.read_text())
    (box,) = document["folds"]
    assert box["repeats"] == 400
    assert box["ops"] == 800
    assert main([str(script), "-o", str(whole), "--expand-all"]) == 0
    document = json.loads(whole.read_text())
    assert "folds" not in document
    assert sum(node["kind"] == "op" for node in document["nodes"]) == 801
