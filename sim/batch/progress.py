"""A progress bar for long batches: replications done, rate and time left (rich, on stderr)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator


def wanted(quiet: bool) -> bool:
    """Show a bar only to a person: not with --quiet, not when stderr is a file or a pipe."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(total: int, done: int, enabled: bool,
                 label: str) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; a no-op when not ``enabled``. ``done`` counts replications an
    earlier run already saved (shown as done, left out of the rate)."""
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), speed_estimate_period=60) as bar:
        task = bar.add_task(label, total=total, completed=done)
        yield lambda n: bar.advance(task, n)
