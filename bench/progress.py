"""A textual progress bar for long management commands (no dependency)."""

import time
from typing import TextIO


class Progress:
    """`[#########...........]  45%  13,500/30,000  12.3 s` on one line, redrawn in place on a
    terminal; elsewhere (a log, a test) one line per tenth, so the output stays readable."""

    WIDTH = 30

    def __init__(self, out: TextIO, label: str, total: int):
        self.out = out
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.started = time.perf_counter()
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self._last_tenth = -1
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total) if self.total else self.done + count
        self._draw()

    def finish(self) -> float:
        self.done = self.total or self.done
        elapsed = time.perf_counter() - self.started
        self._draw(final=True)
        return elapsed

    def _line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = round(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.perf_counter() - self.started
        return (
            f"{self.label:<22} [{bar}] {fraction:4.0%}  "
            f"{self.done:,}/{self.total:,}  {elapsed:6.1f} s"
        )

    def _draw(self, final: bool = False) -> None:
        if self.tty:
            self.out.write("\r" + self._line() + ("\n" if final else ""))
            self.out.flush()
            return
        tenth = int(10 * self.done / self.total) if self.total else 10
        if final or tenth > self._last_tenth:
            if not (final and tenth == self._last_tenth and self.done == self.total):
                self.out.write(self._line() + "\n")
            self._last_tenth = tenth
