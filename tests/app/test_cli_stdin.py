"""`tolk translate` reads standard input in bounded pieces (issue 12, case 8: 2 GB on stdin
ended in a MemoryError traceback)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.cli import STDIN_MAX_LINE_BYTES, read_chunks
from desktop_app.engine import Engine, ModelPackage, split_text
from desktop_app.errors import InputError
from tests.app.test_cli_errors import assert_one_line_error


class _Endless(io.RawIOBase):
    """`size` bytes of `line` repeated, made on demand: a large input that takes no memory."""

    def __init__(self, line: bytes, size: int) -> None:
        self._block = line * (65536 // len(line) + 1)
        self._line_length = len(line)
        self._left = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        start = self._position % self._line_length
        count = min(len(buffer), self._left, len(self._block) - start)
        buffer[:count] = self._block[start : start + count]
        self._position += count
        self._left -= count
        return count


def test_pieces_are_whole_lines_that_segment_like_the_whole() -> None:
    text = "Title\r\n\n  Hello world. Second one!\n\tIndented\u2028same line\n\n\nÉté 🙂 end"
    pieces = list(read_chunks(io.BytesIO(text.encode()), chunk_bytes=8, max_line_bytes=64))
    assert len(pieces) > 2 and "".join(pieces) == text
    assert all(piece.endswith("\n") for piece in pieces[:-1])
    # A segment never spans a line break: the pieces translate exactly as the whole would.
    segments = [segment for piece in pieces for segment in split_text(piece).segments]
    assert tuple(segments) == tuple(split_text(text).segments)


def test_a_line_over_the_limit_is_refused_without_reading_it_all() -> None:
    source = io.BufferedReader(_Endless(b"word ", 1 << 30))
    with pytest.raises(InputError, match=r"a line of standard input .* longer than 1 MiB"):
        list(read_chunks(source, chunk_bytes=1 << 16, max_line_bytes=1 << 20))


def test_invalid_utf8_is_located_in_the_whole_input() -> None:
    data = b"good line\n" * 100 + b"caf\xe9\n"
    with pytest.raises(InputError, match="not valid UTF-8 \\(byte 1003\\)"):
        list(read_chunks(io.BytesIO(data), chunk_bytes=64))


def test_reading_32_mb_of_lines_stays_within_a_few_pieces_of_memory() -> None:
    source = io.BufferedReader(_Endless(b"Hello world. How are you?\n", 32 << 20))
    tracemalloc.start()
    try:
        total = sum(len(piece) for piece in read_chunks(source, chunk_bytes=1 << 18))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 32 << 20
    assert peak < 4 << 20


_LIMITED_TOLK = """
import resource, sys
import ctranslate2  # its libraries reserve address space of their own: count them in
from desktop_app.cli import main
with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
limit = size + (768 << 20)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.exit(main(["translate"]))
"""


def _limited_tolk(home: Path, feed: Callable[[io.BufferedWriter], None]) -> tuple[int, str, str]:
    """Run `tolk translate` under a memory limit 768 MB above its start, fed by `feed`."""
    env = {**os.environ, "TOLK_HOME": str(home)}
    with subprocess.Popen(
        [sys.executable, "-c", _LIMITED_TOLK],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        assert process.stderr is not None

        def writer() -> None:
            try:
                feed(process.stdin)  # type: ignore[arg-type]
                process.stdin.close()  # type: ignore[union-attr]
            except OSError:  # tolk stopped reading: expected when it refuses the input
                pass

        thread = threading.Thread(target=writer, daemon=True)
        thread.start()
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))  # type: ignore[union-attr]
        reader.start()
        output = process.stdout.read()
        process.wait(timeout=120)
        reader.join(timeout=30)
    return process.returncode, output.decode(), b"".join(errors).decode()


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /proc/self/status are Linux's")
def test_gigabytes_on_stdin_under_a_memory_limit_are_streamed_or_refused(
    tmp_path: Path, tiny_package: Callable[[str], Path]
) -> None:
    shutil.copytree(tiny_package("marian"), tmp_path / "models" / "tiny")

    def one_long_line(pipe: io.BufferedWriter) -> None:
        block = b"word " * (1 << 18)
        for _ in range((2 << 30) // len(block)):  # 2 GiB, far over the 768 MB allowed
            pipe.write(block)

    code, _, errors = _limited_tolk(tmp_path, one_long_line)
    result = subprocess.CompletedProcess([], code, "", errors)
    assert_one_line_error(result, 2, f"longer than {STDIN_MAX_LINE_BYTES >> 20} MiB")

    # Many lines, several pieces: translated in full, each line as the engine does it alone.
    line = "Hello world. How are you?\n"
    expected = Engine(ModelPackage.open(tmp_path / "models" / "tiny")).translate(line).text
    count = 120_000  # about 3 MB: three pieces

    def many_lines(pipe: io.BufferedWriter) -> None:
        pipe.write(line.encode() * count)

    code, output, errors = _limited_tolk(tmp_path, many_lines)
    assert code == 0, errors
    assert output == expected * count
