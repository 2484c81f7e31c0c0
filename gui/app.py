"""Start the window: ``autograd-playground [SCRIPT.py] [--run] [--screenshot OUT.png]``."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

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
    parser.add_argument(
        "--select",
        metavar="NAME",
        help="after --run, select the node of variable NAME in the graph",
    )
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
    return parser


def read_script(path: Path) -> str:
    """Return the text of ``path``; raise ValueError with a readable reason if it is not text."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
            f"{exc.start}); open a Python source file instead."
        ) from None
    if "\x00" in text:
        raise ValueError(f"{path.name} looks like a binary file, not Python source.")
    return text


def main(argv: list[str] | None = None) -> int:
    """Run the app (or the export command); return the process exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "export":
        from core.export_cli import main as export_main

        return export_main(args_list[1:])
    args = build_parser().parse_args(args_list)

    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from core.playground import Playground
    from gui.main_window import MainWindow

    QCoreApplication.setOrganizationName("AutogradPlayground")
    QCoreApplication.setApplicationName("autograd-playground")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Autograd Playground")

    reproducible = args.screenshot is not None or args.startup_timing
    settings = (
        QSettings()
        if not reproducible
        else QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            "AutogradPlayground",
            "autograd-playground-screenshot",
        )
    )
    if reproducible:
        settings.clear()
    window = MainWindow(Playground(), settings=settings)
    if args.screenshot is not None:
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
    _install_excepthook(window)

    if args.script is not None:
        try:
            window.editor.setPlainText(read_script(args.script))
            window.setWindowTitle(f"{args.script.name} — Autograd Playground")
        except (OSError, ValueError) as exc:
            window.output.append_text(f"Could not open {args.script}: {exc}", "error")

    timings: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first_paint" not in timings:
                timings["first_paint"] = time.time()
            return False

    paint_filter = FirstPaint()
    app.installEventFilter(paint_filter)

    def finish(code: int = 0) -> None:
        window.close()
        app.exit(code)

    def on_ready() -> None:
        timings["ready"] = time.time()
        app.removeEventFilter(paint_filter)
        if args.startup_timing:
            sys.stdout.write(json.dumps({"launched": LAUNCHED_AT, **timings}) + "\n")
            sys.stdout.flush()
            QTimer.singleShot(0, finish)
        elif args.screenshot is not None and not args.run:
            QTimer.singleShot(300, take_screenshot)

    def take_screenshot() -> None:
        app.processEvents()
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        saved = window.grab().save(str(args.screenshot))
        if saved:
            sys.stdout.write(f"Saved {args.screenshot}\n")
        else:
            sys.stderr.write(f"Could not save {args.screenshot}\n")
        finish(0 if saved else 1)

    window.engine_ready.connect(on_ready)

    def on_run_completed(_outcome: object) -> None:
        if args.select:
            window.graph_view.select_name(args.select)
        if args.screenshot is not None:
            QTimer.singleShot(300, take_screenshot)

    if args.run:
        window.run_completed.connect(on_run_completed)
    window.show()
    window.start_engine()
    if args.run:
        window.run_all()
    return app.exec()


def _install_excepthook(window: object) -> None:
    """Show unexpected errors in the output pane instead of dying silently."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(text)
        try:
            window.output.append_text("Internal error (the app keeps running):\n" + text, "error")
        except RuntimeError:
            previous(kind, value, tb)

    sys.excepthook = hook


if __name__ == "__main__":
    sys.exit(main())
