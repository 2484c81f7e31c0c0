"""Keep the user's code from ending the app's process, and from keeping it alive.

``sys.exit()`` in a cell raises SystemExit, which the run catches like any error. But
``os._exit()``, ``os.abort()`` and a signal sent to the app's own process end it at once,
with nothing to catch: the window vanishes with the student's unsaved work. Those
functions are replaced, in the modules themselves, by guards that raise ``ExitRefused``
when the user's code calls them: a module attribute is what ``import os as o``,
``from os import _exit`` and a function defined in the cell all reach. A guard passes the
call on unchanged when no frame of the user's code is on the stack (the app's own exit,
a test runner's) or in a forked child process (a DataLoader worker ends with
``os._exit``).

A thread the user started and that never ends would keep Python from exiting, since
it waits for every non-daemon thread; ``end_now_if_threads_linger`` is for the entry
points, once their work is done.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from autograd_playground.core.run.cell_names import is_cell_filename

_GUARD_MARK = "__playground_exit_guard__"


class ExitRefused(SystemExit):
    """A call from the user's code that would end the whole process, refused.

    A SystemExit, as it means to end the program: ``except Exception`` in the user's
    code does not swallow it, and a thread it ends is not reported as crashed.
    """

    def __init__(self, call: str) -> None:
        super().__init__(
            f"{call} was refused: it would close the whole playground, not just your code"
        )
        self.call = call


def _is_this_process(pid: int) -> bool:
    """Whether a signal sent to ``pid`` (as os.kill reads it) reaches this process."""
    group = os.getpgrp() if hasattr(os, "getpgrp") else None
    return pid in (os.getpid(), 0, -1) or (group is not None and pid == -group)


def _is_this_group(group: int) -> bool:
    return group == 0 or (hasattr(os, "getpgrp") and group == os.getpgrp())


def _ends_process(function: str, args: tuple[Any, ...]) -> bool:
    """Whether calling ``function`` with ``args`` would end (or may end) this process."""
    if function in ("_exit", "abort", "raise_signal"):
        return True
    if len(args) < 2 or args[1] == 0:  # signal 0 only checks that the target exists
        return False
    if function == "kill":
        return _is_this_process(args[0])
    if function == "killpg":
        return _is_this_group(args[0])
    return function == "pthread_kill"  # every thread it can name is one of this process's


def _called_from_user_code() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if is_cell_filename(frame.f_code.co_filename):
            return True
        frame = frame.f_back
    return False


def _shown(value: Any) -> str:
    text = getattr(value, "name", None) if isinstance(value, signal.Signals) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _guard(module_name: str, real: Callable[..., Any], pid: int) -> Callable[..., Any]:
    function = real.__name__

    @functools.wraps(real)
    def guard(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() == pid and _ends_process(function, args) and _called_from_user_code():
            shown = ", ".join(_shown(arg) for arg in args)
            raise ExitRefused(f"{module_name}.{function}({shown})")
        return real(*args, **kwargs)

    setattr(guard, _GUARD_MARK, True)
    return guard


def install_exit_guards() -> None:
    """Make os._exit, os.abort and self-signals refuse calls from the user's code (idempotent)."""
    system = sys.modules.get(os.name)  # posix or nt: os takes these functions from it
    targets: list[tuple[Any, str, str]] = [
        (os, "os", name) for name in ("_exit", "abort", "kill", "killpg")
    ]
    targets += [(system, os.name, name) for name in ("_exit", "abort", "kill", "killpg")]
    targets += [(signal, "signal", name) for name in ("raise_signal", "pthread_kill")]
    pid = os.getpid()
    for module, module_name, name in targets:
        real = getattr(module, name, None)
        if real is not None and not getattr(real, _GUARD_MARK, False):
            setattr(module, name, _guard(module_name, real, pid))


def lingering_threads() -> list[threading.Thread]:
    """Return the threads, other than this one, that Python would wait for before exiting."""
    current = threading.current_thread()
    return [
        thread
        for thread in threading.enumerate()
        if thread is not current and not thread.daemon and thread.is_alive()
    ]


def end_now_if_threads_linger(status: int) -> int:
    """Return ``status``; but if a thread would keep the process alive, end it now with it.

    Python waits for every non-daemon thread before it exits, and a user's thread
    may never end. Ending the process skips the exit handlers, so it is done only
    then: a normal exit keeps them. The output written so far is flushed first.
    """
    if not lingering_threads():
        return status
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed, or a pipe the reader has left
            pass
    os._exit(status)
