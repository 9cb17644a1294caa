"""Stop a converter whose parent died, before it installs anything (issue 12, case 11).

`tolk convert` and the GUI run the converter as a child process. Killed outright (SIGKILL,
a crash, the task manager), a parent cannot stop its child, which then went on for minutes
and installed a package nobody was waiting for. A parent that passes `--stop-with-parent`
gives the child a pipe on standard input and never writes to it: the operating system
closes the pipe when the parent dies, however it dies, so end of file there means the parent
is gone, on Linux, macOS and Windows alike. On Linux the kernel also sends SIGTERM at once
(prctl PR_SET_PDEATHSIG), which interrupts even a child busy in a long computation.
"""

from __future__ import annotations

import _thread
import contextlib
import ctypes
import os
import signal
import sys
import threading

# prctl option from <linux/prctl.h>: the signal the kernel sends when the parent thread dies.
_PR_SET_PDEATHSIG = 1


class ParentWatch:
    """Whether the parent is gone; once it is, the main thread gets a KeyboardInterrupt."""

    def __init__(self) -> None:
        self._gone = threading.Event()

    @property
    def parent_gone(self) -> bool:
        return self._gone.is_set()

    def start(self, pipe: int | None) -> None:
        """Watch the file descriptor `pipe` (end of file: the parent is gone) and, on Linux,
        the kernel's signal. None: no pipe (pythonw has no stdin), the signal alone."""
        if sys.platform.startswith("linux"):
            _signal_on_parent_death(signal.SIGTERM)
        if pipe is None:
            return
        threading.Thread(
            target=self._wait_for_end, args=(pipe,), name="parent-watch", daemon=True
        ).start()

    def _wait_for_end(self, pipe: int) -> None:
        # If the parent died before this thread started, the pipe is already at its end: the
        # race that a signal set up too late cannot cover. os.read, not sys.stdin: a daemon
        # thread blocked inside a buffered reader holds its lock, and the interpreter aborts
        # at exit ("could not acquire lock for <stdin>").
        with contextlib.suppress(OSError):
            while os.read(pipe, 4096):
                pass  # the parent never writes; whatever comes is ignored
        self._gone.set()
        if sys.platform == "win32":
            _thread.interrupt_main()  # raised once the main thread runs Python code again
        else:
            # A real signal, aimed at the main thread, also wakes it from a blocking call.
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def _signal_on_parent_death(signum: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    except (OSError, AttributeError):  # not glibc/musl: the pipe still stops the converter
        pass
