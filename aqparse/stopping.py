"""stopping: a run asked to stop (SIGTERM, Ctrl-C) stops at a safe point, or at once while it
waits on an input that may never come.

``aqparse convert`` installs ``request_stop`` as its handler of SIGTERM and SIGINT. The run
raises ``Stopped`` at its next safe point (``stop_point``, between two units): its workers
stopped, what was committed kept. A wait on an input (opening a FIFO no one writes to, a read
of a stalled pipe) would never reach one, and Python retries a system call a handler
interrupted: inside ``waiting_on_input`` the handler raises at once, which ends the wait
(nothing is being written meanwhile).
"""

import contextlib
from typing import Iterator, List


class Stopped(KeyboardInterrupt):
    """A run asked to stop (SIGTERM, Ctrl-C): raised at a safe point of the run, between two
    units, never inside a lock of the worker pool (which an exception raised by a signal
    handler at any point could leave held, and the run hung); or in a wait on an input."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOP: List[int] = []       # the signals received, for ``stop_point``
_WAITING: List[bool] = []   # inside ``waiting_on_input``


def request_stop(signum: int, frame=None) -> None:
    """A signal handler: the run stops at its next safe point; a second signal stops it at
    once (Ctrl-C twice), and so does one that comes while it waits on an input."""
    if _STOP or _WAITING:
        _STOP.append(signum)
        raise Stopped(signum)
    _STOP.append(signum)


def stop_now(signum: int, frame=None) -> None:
    """A signal handler for a command with no safe point to stop at (``parse``, ``render``…):
    it stops at once, as Ctrl-C does, and what it made for itself (the temporary copy of an
    output it reads back) is removed as the exception goes up; SIGTERM's default killed the
    process outright and left that copy behind."""
    raise Stopped(signum)


def stop_point() -> None:
    if _STOP:
        raise Stopped(_STOP[0])


def clear_stop() -> None:
    """A new run: the signals of an earlier one are forgotten."""
    _STOP.clear()


@contextlib.contextmanager
def waiting_on_input() -> Iterator[None]:
    """Around a wait on an input that may never come: a signal stops the run at once (and
    one received before it, at its start)."""
    stop_point()
    _WAITING.append(True)
    try:
        yield
    finally:
        _WAITING.pop()
