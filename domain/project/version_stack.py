"""Undo and redo stacks of event versions, stored as runs so unlimited undo stays small.

Edits append consecutive versions, so a stack of 100,000 edits is usually one run (first, last).
"""

from domain.project.value import Value


class VersionStack(Value):
    # Each run pushes first, first±1, ..., last; runs of one item have first == last.
    runs: tuple[tuple[int, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.runs)

    def __len__(self) -> int:
        return sum(abs(last - first) + 1 for first, last in self.runs)

    def top(self) -> int | None:
        return self.runs[-1][1] if self.runs else None

    def push(self, version: int) -> "VersionStack":
        if self.runs:
            first, last = self.runs[-1]
            step = last - first
            if (step >= 0 and version == last + 1) or (step <= 0 and version == last - 1):
                return VersionStack(runs=(*self.runs[:-1], (first, version)))
        return VersionStack(runs=(*self.runs, (version, version)))

    def pop(self) -> tuple[int, "VersionStack"]:
        if not self.runs:
            raise IndexError("pop from an empty stack")
        first, last = self.runs[-1]
        if first == last:
            return last, VersionStack(runs=self.runs[:-1])
        previous = last - 1 if last > first else last + 1
        return last, VersionStack(runs=(*self.runs[:-1], (first, previous)))

    def items(self) -> list[int]:
        out: list[int] = []
        for first, last in self.runs:
            step = 1 if last >= first else -1
            out.extend(range(first, last + step, step))
        return out
