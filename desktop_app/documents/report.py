"""What a document job tells its caller: progress while it runs, per-file results after."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FileStatus = Literal["translated", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one input file."""

    input: Path
    output: Path | None
    status: FileStatus
    message: str = ""
    segments: int = 0
    spans_total: int = 0
    spans_placed: int = 0


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Reported after every batch: unique segments done out of the job's total."""

    segments_done: int
    segments_total: int
    words_translated: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words_translated / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class JobReport:
    """Per-file results and job totals."""

    files: tuple[FileResult, ...]
    segments_total: int
    segments_translated: int
    segments_resumed: int
    seconds: float

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.files)

    @property
    def spans_total(self) -> int:
        return sum(f.spans_total for f in self.files)

    @property
    def spans_placed(self) -> int:
        return sum(f.spans_placed for f in self.files)
