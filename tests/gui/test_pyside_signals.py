"""A guard against a Qt binding that corrupts reference counts on cross-thread signals.

PySide6 6.12.0 drops a reference to True or None on each signal queued from a
worker thread; after some ten thousand (five minutes of live training reports)
the interpreter aborts. The project pins a version without the bug; this test
fails if a release with it comes back.
"""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

    class Worker(QObject):
        ping = Signal(str)
        done = Signal()

        @Slot()
        def work(self):
            for _ in range(30_000):
                self.ping.emit("report")
            self.done.emit()

    app = QCoreApplication([])
    thread = QThread()
    worker = Worker()
    worker.moveToThread(thread)
    received = []
    worker.ping.connect(received.append)
    thread.started.connect(worker.work)
    worker.done.connect(lambda: (thread.quit(), thread.wait(), app.quit()))
    thread.start()
    app.exec()
    print(len(received))
    """
)


def test_thirty_thousand_cross_thread_signals_do_not_crash():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "30000"
