"""pool: the units of a run worked in parallel, their results given back in input order.

At most ``2 × jobs + 1`` units are in flight. A dump read as a stream is read in the parent,
once the units before it are done. ``jobs=1`` works the same units in-process: the output is
the same byte for byte. A run stops at a safe point when asked (SIGTERM, Ctrl-C), and leaves
no process behind.
"""

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator


from .stopping import stop_point
from .units import Stream, Unit
from .work import Result, Task, streamed, work
from .work import warm as warm_up


def results(units: Iterator[Unit], jobs: int, task: Task,
            stream_batch: int = 500, warm: int = 0) -> Iterator[Result]:
    """The results of the units, in input order: a streamed dump is read in the parent (its
    units before it are finished first), every other unit in a worker. ``warm``: the workers
    to start, and make ready for text, before the first unit (at most ``jobs``)."""
    with calm_gc():
        yield from _results(units, jobs, task, stream_batch, warm)


def _results(units: Iterator[Unit], jobs: int, task: Task,
             stream_batch: int, warm: int = 0) -> Iterator[Result]:
    if jobs == 1:
        for unit in units:
            stop_point()
            if isinstance(unit, Stream):
                yield from streamed(unit, task, stream_batch)
            else:
                yield work(unit, task)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start)
    try:
        # workers started and made ready for text now, not at their first unit: that overlaps
        # the parent's first look through a large dump (``inputs.read_ahead``), when they have
        # nothing to do (a run of 150,000 questions: a third of a second sooner). Only as many
        # as the run has units for: a small run starts the workers it needs, when it needs them
        for _ in range(min(warm, jobs)):
            pool.submit(warm_up)
        in_flight: deque = deque()
        for unit in units:
            stop_point()
            if isinstance(unit, Stream):
                while in_flight:
                    yield in_flight.popleft().result()
                yield from streamed(unit, task, stream_batch)
                continue
            in_flight.append(pool.submit(work, unit, task))
            if len(in_flight) > 2 * jobs:
                yield in_flight.popleft().result()
        while in_flight:
            stop_point()
            yield in_flight.popleft().result()
    except BaseException:
        # stopped (Ctrl-C, SIGTERM, an error of the output): the workers are stopped now,
        # not left to finish their units, and none is left behind
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(5)
        # a worker stopped while it sent its results leaves half a message in the pipe: the
        # pool's own thread waits for the rest, and with the parent's end of the pipe open it
        # never comes (the run hung, one time in ten). That end closed, the thread reads the
        # end of the pipe and stops. (A private part of the standard library, when present.)
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
        if writer is not None and all(not p.is_alive() for p in processes):
            try:
                writer.close()
            except OSError:
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        _stop_helpers()
        raise
    pool.shutdown(wait=True)


def _stop_helpers() -> None:
    """Stop the fork server and the resource tracker multiprocessing started, now: left to
    themselves they outlive a stopped run by seconds. (Private hooks of the standard library,
    used when present.)"""
    from multiprocessing import forkserver, resource_tracker

    for helper in (getattr(forkserver, "_forkserver", None),
                   getattr(resource_tracker, "_resource_tracker", None)):
        try:
            helper._stop()
        except Exception:      # absent in this Python, or already stopped: nothing to do
            pass


def _forget_forkserver() -> None:
    """In a process forked (``os.fork``) from one that ran a parallel run: the fork server is
    the parent's, which this process cannot wait for, and its next parallel run failed ("No
    child processes", said as the output's fault); it starts a fork server of its own. (A
    private hook of the standard library, used when present.)"""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    if server is None or getattr(server, "_forkserver_pid", None) is None:
        return
    alive = getattr(server, "_forkserver_alive_fd", None)
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None
    if alive is not None:
        try:                       # (this process's copy: the parent keeps its server alive)
            os.close(alive)
        except OSError:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_forkserver)


# A run allocates millions of short-lived containers (tokens, records, the rows of results);
# Python's default collector looks at them every 700 allocations and, ever more often as a
# run's lasting objects grow, at the whole heap. What exists when a run starts (modules,
# compiled patterns) is set aside for good, and young collections are made rarer: memory
# freed by reference counting is unchanged, cycles wait a little longer.
GC_YOUNG = 20_000


@contextlib.contextmanager
def calm_gc():
    """The collector made cheaper for the duration of a run (in the process that runs it)."""
    before = gc.get_threshold()
    mine = not gc.get_freeze_count()      # (a caller's own freeze is left as it is)
    if mine:
        gc.freeze()
    gc.set_threshold(GC_YOUNG, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if mine:
            gc.unfreeze()


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal: the parent alone handles it (it stops the
    # workers), so that no worker prints a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a worker lives for the run: its collector is calmed once, for good (``calm_gc``)
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    _end_with_the_run()


def _end_with_the_run() -> None:
    """The worker ends when the process of the run is gone without stopping it (SIGKILL, a
    crash): its queue of work is then never closed (each worker holds both of its ends), and
    it waited on it for ever, the fork server and the resource tracker with it."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="aqparse-run-watch").start()
