"""Start the window: ``autograd-playground [SCRIPT.py] [--run] [--screenshot OUT.png]``."""

from __future__ import annotations

import argparse
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd_playground.core.crash_log import CrashLog

LAUNCHED_AT = time.time()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-playground",
        description=(
            "Type PyTorch tensor code and see the autograd graph it builds: leaf tensors, "
            "grad_fn nodes, values and gradients. "
            "Run 'autograd-playground export --help' to write a script's graph to a file "
            "without opening a window."
        ),
    )
    parser.add_argument(
        "script",
        nargs="?",
        type=Path,
        help="a Python file to open in the editor (it is not run unless --run)",
    )
    parser.add_argument(
        "--run", action="store_true", help="run the editor's code as soon as PyTorch has loaded"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="save a PNG of the whole window once everything has drawn, "
        "then exit (works with QT_QPA_PLATFORM=offscreen); the saved "
        "layout and code are not used, so the picture is reproducible",
    )
    _add_after_run_options(parser)
    parser.add_argument(
        "--size",
        default="1400x860",
        metavar="WxH",
        help="window size for --screenshot (default 1400x860)",
    )
    parser.add_argument(
        "--startup-timing",
        action="store_true",
        help="print the times of first paint and readiness as JSON, then exit "
        "(used by benchmarks/startup.py)",
    )
    parser.add_argument(
        "--log-dir",
        action="store_true",
        help="print the folder of the error and crash logs, then exit "
        "(set AUTOGRAD_PLAYGROUND_LOG_DIR to choose another)",
    )
    _add_view_options(parser)
    return parser


def _add_after_run_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that act on the graph once --run has drawn it."""
    parser.add_argument(
        "--select",
        metavar="NAME",
        help="after --run, select the node of variable NAME in the graph; NAME.grad "
        "(or NAME.value) also scrolls the inspector to that part",
    )
    parser.add_argument(
        "--open",
        action="append",
        default=[],
        metavar="BOX",
        help="after --run, open the graph's box BOX (the name on its first line, such as "
        "'model.blocks.3' or 'line 4'); repeat it to open a box inside the last",
    )
    parser.add_argument(
        "--step-forward",
        type=int,
        metavar="N",
        help="after --run, open Teach ▸ Step through forward at step N (from 1)",
    )


# The options that set what a --screenshot shows, by their argparse names.
VIEW_OPTIONS = ("theme", "presentation", "language", "tab", "train", "train_steps", "layers")


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that choose the view a --screenshot pictures."""
    from autograd_playground.core.appearance.theme_names import THEME_NAMES
    from autograd_playground.core.i18n.languages import LANGUAGES
    from autograd_playground.core.training.catalog import TASK_INFOS

    view = parser.add_argument_group(
        "view of the --screenshot",
        "These set the view of that one picture; the settings the app keeps are left alone.",
    )
    view.add_argument("--theme", choices=THEME_NAMES, help="the colour theme")
    view.add_argument(
        "--presentation", action="store_true", help="presentation mode: larger text (F9)"
    )
    view.add_argument("--language", choices=LANGUAGES, help="the language of menus and panels")
    view.add_argument(
        "--tab",
        choices=("graph", "lab"),
        help="the tab shown: the graph or the training lab (default: graph, lab with --train)",
    )
    view.add_argument(
        "--layers",
        action="store_true",
        help="the lab's layer statistics in place of its plots",
    )
    view.add_argument(
        "--train",
        choices=list(TASK_INFOS),
        metavar="TASK",
        help="train this lab task to its end before the picture is taken; one of: "
        + ", ".join(TASK_INFOS),
    )
    view.add_argument(
        "--train-steps",
        type=int,
        metavar="N",
        help="with --train: pause the run once it has taken N steps and picture it there",
    )


def _check_view_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Stop with a usage error when a view option comes without --screenshot."""
    given = [name for name in VIEW_OPTIONS if getattr(args, name) not in (None, False)]
    if given and args.screenshot is None:
        names = ", ".join(f"--{name.replace('_', '-')}" for name in given)
        parser.error(f"{names} set the view of a --screenshot; add --screenshot OUT.png")
    if args.train_steps is not None and (args.train is None or args.train_steps < 1):
        parser.error("--train-steps takes a number of steps from 1, with --train")


def main(argv: list[str] | None = None) -> int:
    """Run the app (or the export command); return the process exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "export":
        return _run_export(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    _check_view_options(parser, args)
    if args.log_dir:
        from autograd_playground.core.crash_log import log_dir

        sys.stdout.write(f"{log_dir()}\n")
        return 0
    return _run_window(args)


def _run_export(args_list: list[str]) -> int:
    from autograd_playground.core.export_cli import main as export_main
    from autograd_playground.core.run.process_guard import end_now_if_threads_linger

    # A thread the script started and that never ends must not hold the command
    # open once the file is written.
    return end_now_if_threads_linger(export_main(args_list))


def _run_window(args: argparse.Namespace) -> int:
    """Open the window, run the event loop and return its exit status."""
    reproducible = args.screenshot is not None or args.startup_timing
    # Opened before Qt and torch load, so that a crash while they load is dumped too. A
    # reproducible run (a picture, a benchmark) leaves the user's logs alone: stderr only.
    crash_log = None if reproducible else _open_crash_log()
    app = _application()
    window = _window(args, reproducible)
    uninstall_hooks = _install_excepthook(window, crash_log)
    if crash_log is not None:
        _report_crash_log(window, crash_log)
    # A reproducible run neither brings back nor autosaves the user's own sessions.
    window.sessions.start(args.script, autosave_dir=None if reproducible else _autosave_dir())

    from autograd_playground.gui.launch import Launch

    launch = Launch(app, window, args, LAUNCHED_AT)  # held until the loop ends
    launch.begin()
    try:
        status = app.exec()
    finally:
        # faulthandler keeps its file open until the process ends: a crash while
        # the interpreter shuts down is still dumped.
        uninstall_hooks()
    from autograd_playground.core.run.process_guard import end_now_if_threads_linger

    # The window has closed and saved its settings and autosave: a thread the user's
    # code started and that never ends must not keep the process alive unseen.
    return end_now_if_threads_linger(status)


def _application() -> object:
    """The QApplication, named for QSettings, with Chinese glyphs available."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from autograd_playground.gui.resources import install_cjk_fallback

    QCoreApplication.setOrganizationName("AutogradPlayground")
    QCoreApplication.setApplicationName("autograd-playground")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Autograd Playground")
    install_cjk_fallback()  # before any widget measures or draws Chinese text
    return app


def _window(args: argparse.Namespace, reproducible: bool) -> object:
    """The main window, with its settings, and for a picture its size."""
    from PySide6.QtCore import QSettings

    from autograd_playground.core.playground import Playground
    from autograd_playground.gui.main_window import MainWindow
    from autograd_playground.gui.screenshot import reproducible_settings

    settings = (
        reproducible_settings(theme=args.theme, language=args.language)
        if reproducible
        else QSettings()
    )
    window = MainWindow(Playground(), settings=settings)
    if args.screenshot is not None:
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
    return window


def _autosave_dir() -> Path:
    from autograd_playground.core.session.autosave import data_dir

    return data_dir() / "autosave"


def _open_crash_log() -> CrashLog | None:
    from autograd_playground.core.crash_log import open_crash_log

    try:
        return open_crash_log()
    except Exception:  # the crash log must never be why the app does not start
        traceback.print_exc()
        return None


def _report_crash_log(window: object, crash_log: CrashLog) -> None:
    """Say once, in the output pane, that the logs cannot be written or the last session crashed."""
    from autograd_playground.gui.ui_text import tr

    if crash_log.problem is not None:
        window.output.append_text(crash_log.problem, "info")
    if crash_log.previous_crash is not None:
        where = crash_log.previous_crash
        window.output.append_text(
            tr(
                "The previous session crashed. Where it crashed is recorded "
                "in {where}; please attach that file to a bug report. "
                "(`autograd-playground --log-dir` prints this folder.)",
                where=where,
            ),
            "stderr",
        )


def _error_relay(window: object) -> object:
    """Return a QObject whose ``raised(str, str)`` signal shows an error in the output pane.

    Emitted from any thread, the signal is queued to the GUI thread, where the relay
    lives, so the pane is only ever touched there. Defined here because importing Qt at
    the top of this module would slow down ``--help`` and ``export``.
    """
    from PySide6.QtCore import QObject, Signal, Slot

    class ErrorRelay(QObject):
        raised = Signal(str, str)  # heading, traceback

        def __init__(self) -> None:
            super().__init__(window)  # dies with the window, which the hooks notice
            self.raised.connect(self._show)

        @Slot(str, str)
        def _show(self, heading: str, text: str) -> None:
            window.output.append_text(f"{heading}\n{text}", "error")

    return ErrorRelay()


def _install_excepthook(window: object, crash_log: CrashLog | None = None) -> Callable[[], None]:
    """Show unexpected errors in the output pane and log them, instead of dying silently.

    Covers exceptions in Qt slots on any thread (PySide calls ``sys.excepthook`` in the
    thread that ran the slot) and in ``threading.Thread``s (``threading.excepthook``).
    Return a function that puts the previous hooks back.
    """
    from autograd_playground.gui.ui_text import tr

    previous_sys, previous_threading = sys.excepthook, threading.excepthook
    relay = _error_relay(window)

    def report(kind, value, tb, where: str) -> bool:
        """Log and show one error; False when the window is gone and cannot show it."""
        text = "".join(traceback.format_exception(kind, value, tb))
        if sys.stderr is not None:  # None under a windowed launcher
            sys.stderr.write(text)
        # An error in a thread the user's code started is the user's to fix, not a bug
        # of the app's to report: it is shown as such and kept out of the error log.
        from_user = _raised_in_user_code(tb)
        logged = crash_log is not None and not from_user
        problem = crash_log.log_exception(text, where) if logged else None
        try:
            relay.raised.emit(_error_heading(where, from_user), text)
            if problem is not None:
                relay.raised.emit(tr("The error log cannot be written:"), problem)
        except RuntimeError:  # the window and its relay were deleted
            return False
        return True

    def sys_hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt) or not report(kind, value, tb, _thread_name()):
            previous_sys(kind, value, tb)

    def threading_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # how a thread ends on purpose, as Python sees it
            return
        name = args.thread.name if args.thread is not None else _thread_name()
        if not report(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name!r}"):
            previous_threading(args)

    def uninstall() -> None:
        sys.excepthook, threading.excepthook = previous_sys, previous_threading

    sys.excepthook, threading.excepthook = sys_hook, threading_hook
    return uninstall


def _raised_in_user_code(tb: object) -> bool:
    """Whether a traceback passes through the user's code (a cell the evaluator ran)."""
    from autograd_playground.core.run.cell_names import is_cell_filename

    return any(is_cell_filename(frame.filename) for frame in traceback.extract_tb(tb))


def _error_heading(where: str, from_user: bool) -> str:
    from autograd_playground.gui.ui_text import tr

    if from_user:
        return tr("Error in {where}, which your code started (the app keeps running):", where=where)
    return tr("Internal error in {where} (the app keeps running):", where=where)


def _thread_name() -> str:
    thread = threading.current_thread()
    return "the GUI thread" if thread is threading.main_thread() else f"thread {thread.name!r}"


if __name__ == "__main__":
    sys.exit(main())
