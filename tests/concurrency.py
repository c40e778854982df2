"""Run the same write from many threads at once, each on its own database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def run_at_once(work: Callable[[int], object], count: int) -> list:
    """Start `count` threads that call work(i) at the same moment; return results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
