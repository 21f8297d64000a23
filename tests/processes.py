"""The processes of a run, read from /proc (Linux): a test of stopped runs and the convert
benchmark's memory both look at a command's whole tree (its workers, the fork server, the
resource tracker)."""

import os
from typing import List


def process_tree(pid: int) -> List[int]:
    """``pid`` and every process below it (by the ``children`` of each of its threads)."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids
