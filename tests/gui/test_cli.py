"""The command line: a script opened, run and photographed without a screen."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPalette

from autograd_playground.core.playground import Playground
from autograd_playground.core.training.catalog import TASK_INFOS
from autograd_playground.gui.app import main as app_main
from autograd_playground.gui.appearance.themes import DARK_THEME
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.screenshot import ScreenshotTaker, reproducible_settings, show_view

DARK_ROLES = (QPalette.ColorRole.Window, QPalette.ColorRole.Base)

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_of_a_run_script(tmp_path):
    script = tmp_path / "first.py"
    script.write_text("x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n")
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            str(script),
            "--run",
            "--select",
            "x",
            "--screenshot",
            str(out),
            "--size",
            "1000x700",
        ],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"Saved {out}" in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    # The selected leaf is drawn in the legend's blue somewhere in the graph pane.
    blue = {image.pixelColor(x, y).name() for x in range(0, 1000, 3) for y in range(0, 700, 3)}
    assert "#add8e6" in blue
    assert "#d3d3d3" in blue  # the gray op nodes


def test_help_describes_the_options():
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    for option in ("--run", "--screenshot", "--select", "export"):
        assert option in done.stdout


def test_unreadable_script_is_reported_and_the_window_still_opens(tmp_path):
    script = tmp_path / "binary.py"
    script.write_bytes(b"\xff\xfe\x00garbage")
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(script), "--screenshot", str(out)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()


def test_view_options_reject_unknown_values_and_list_the_choices(capsys):
    for option, value, choices in (
        ("--theme", "blue", "'light', 'dark', 'high-contrast'"),
        ("--language", "fr", "'en', 'zh'"),
        ("--tab", "plots", "'graph', 'lab'"),
        ("--train", "mnist", "'linreg_scratch'"),
    ):
        with pytest.raises(SystemExit) as stopped:
            app_main(["--screenshot", "out.png", option, value])
        assert stopped.value.code == 2
        error = capsys.readouterr().err
        assert f"invalid choice: {value!r}" in error
        assert choices in error


def test_view_options_need_a_screenshot(capsys):
    with pytest.raises(SystemExit) as stopped:
        app_main(["--theme", "dark", "--tab", "lab"])
    assert stopped.value.code == 2
    assert "--theme, --tab set the view of a --screenshot" in capsys.readouterr().err


def test_theme_and_language_are_set_as_saved_choices_of_a_throwaway_settings_file(qtbot):
    from autograd_playground.gui.ui_text import ui_language

    settings = reproducible_settings(theme="dark", language="zh")
    assert "screenshot" in Path(settings.fileName()).name  # never the user's own settings
    window = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(window)
    try:
        assert window.themes.choice == "dark"
        assert window.themes.theme.name == "dark"
        assert ui_language() == "zh"
        assert window.tabs.tabText(1) == "训练实验室"
    finally:
        window.themes.set_theme("system")
    assert reproducible_settings().allKeys() == []  # the next picture starts afresh


def test_show_view_sets_presentation_and_tab(window):
    try:
        show_view(window, presentation=True, tab="lab")
        assert window.presentation.active
        assert window.tabs.currentWidget() is window.training_panel
        show_view(window, presentation=False, tab="graph")
        assert not window.presentation.active
        assert window.tabs.currentWidget() is window.graph_pane
        show_view(window, task="linreg_concise")  # --train alone shows the lab
        assert window.tabs.currentWidget() is window.training_panel
        assert window.training_panel.current_task() == "linreg_concise"
    finally:
        window.presentation.set_active(False)


def test_train_pictures_the_lab_at_the_end_of_the_task(window, qtbot, tmp_path):
    out = tmp_path / "lab.png"
    finished = []
    taker = ScreenshotTaker(window, out, task="quadratic", finish=finished.append)
    show_view(window, task="quadratic")
    taker.take_when_drawn()
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert finished == [0]
    panel = window.training_panel
    steps = TASK_INFOS["quadratic"].length
    assert panel.state == "finished"
    assert len(panel.plots.loss_curve.getData()[0]) == steps  # the last frame drew every step
    assert f"{steps}/{steps}" in panel.progress.text()
    assert panel.estimate.text().startswith("w = ")
    assert QImage(str(out)).size() == window.size()


def test_screenshot_flags_picture_the_trained_lab_in_the_dark_theme(tmp_path):
    out = tmp_path / "dark-lab.png"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--screenshot",
            str(out),
            "--size",
            "1000x700",
            "--theme",
            "dark",
            "--train",
            "quadratic",
        ],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    colors = Counter(
        image.pixelColor(x, y).name() for x in range(0, 1000, 2) for y in range(0, 700, 2)
    )
    # Dark: the window, fields and plots in the dark theme's colours, nothing white.
    assert colors.most_common(1)[0][0] in {DARK_THEME.palette[role] for role in DARK_ROLES}
    assert colors[DARK_THEME.plot_background] > 1000
    assert colors["#ffffff"] < 100
    # The lab, trained: its loss and fit curves in the dark theme's first two colours.
    assert colors[DARK_THEME.plot_colors[0]] > 20
    assert colors[DARK_THEME.plot_colors[1]] > 20


def test_screenshot_mid_way_through_the_forward_pass(tmp_path):
    out = tmp_path / "forward.png"
    lesson = ROOT / "assets" / "lessons" / "13_control_flow.py"
    command = [sys.executable, str(ROOT / "main.py"), str(lesson), "--run", "--theme", "light"]
    command += ["--step-forward", "3", "--screenshot", str(out), "--size", "1120x640"]
    done = subprocess.run(
        command,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    colours = Counter(
        image.pixelColor(x, y).name() for x in range(0, 1120, 2) for y in range(0, 640, 2)
    )
    assert colours["#c4006b"] > 20  # the current op's outline and its "step 3" tag


LOOP_800_OPS = (
    "x = torch.randn(3, requires_grad=True)\n"
    "y = x\n"
    "for i in range(400):\n"
    "    y = y.tanh() * 1.01\n"
    "out = y.sum()\n"
)


def test_open_opens_the_named_boxes_one_after_another_after_the_run(window, qtbot):
    from PySide6.QtWidgets import QApplication

    from autograd_playground.gui.app import build_parser
    from autograd_playground.gui.launch import Launch
    from tests.gui.conftest import run_in

    args = build_parser().parse_args(["--run", "--open", "line 4", "--open", "line 4 [1–100]"])
    launch = Launch(QApplication.instance(), window, args, launched_at=0.0)
    with qtbot.waitSignals([window.graph_redrawn, window.graph_redrawn], timeout=60_000):
        run_in(window, qtbot, LOOP_800_OPS, timeout=60_000)
    boxes = {i.node.name for i in window.graph_view.node_items.values() if i.node.kind == "module"}
    # The loop's box opened into chunks of a hundred repeats, and the first chunk into
    # its repeats.
    assert "line 4" not in boxes
    assert "line 4 [1–100]" not in boxes
    assert {"line 4 [1]", "line 4 [101–200]"} <= boxes
    assert not launch._boxes_to_open
