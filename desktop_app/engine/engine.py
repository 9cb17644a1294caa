"""`Engine`: a loaded model package that translates text, documents' segments and streams."""

from __future__ import annotations

import contextlib
import ctypes
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.engine import device as devices
from desktop_app.engine.alignment import AlignedTranslation, shift
from desktop_app.engine.decoding import Decoder
from desktop_app.engine.options import (
    MAX_CPU_THREADS,
    Closing,
    TranslationOptions,
    TranslationResult,
    TranslationStream,
)
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.records import Request, Translated
from desktop_app.engine.segmenter import Layout, split_text
from desktop_app.engine.streaming import stream_events
from desktop_app.engine.threads import ThreadLayout, thread_layout, weight_bytes
from desktop_app.engine.tokenizer import Tokenizer
from desktop_app.errors import InputError, ModelError

Options = TranslationOptions | None


def _load_translator(
    package: ModelPackage, choice: devices.DeviceChoice, layout: ThreadLayout
) -> Any:
    import ctranslate2

    try:
        return ctranslate2.Translator(
            str(package.path),
            device=choice.device,
            compute_type=choice.compute_type,
            inter_threads=layout.replicas,
            intra_threads=layout.threads,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"cannot load model '{package.name}' from {package.path}: its CTranslate2 files are "
            f"corrupt or incomplete ({exc}); install or convert the model again"
        ) from None


def _return_freed_memory() -> None:
    """Hand memory freed by the unloaded model back to the operating system.

    CTranslate2 frees its weights, but glibc keeps the freed pages in its heap, so without
    this the app's memory would not drop after a model is unloaded.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (e.g. musl): nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Where and how models run, as the command line's flags or the app's settings say: the
    one way the CLI, the Translate tab and document jobs build an `Engine`."""

    device: str = "auto"
    compute_type: str = "auto"
    cpu_threads: int = 0
    workload: str = "interactive"

    def open(self, package: ModelPackage) -> Engine:
        """Load `package` with these settings (see `Engine` for what it raises)."""
        return Engine(package, self.device, self.compute_type, self.cpu_threads, self.workload)

    def for_batches(self) -> EngineSettings:
        """The same settings for a job that waits for many batches (documents, many lines)."""
        return replace(self, workload="batch")


class Engine(Closing):
    """Translates with one model package on CPU or CUDA; a context manager that closes it.

    Args:
        package: an opened model package (`ModelPackage.open` or `ModelStore.get`).
        device: "auto" (CUDA when a test decode succeeds there, else CPU), "cpu" or "cuda".
        compute_type: "auto" (int8 on CPU, int8_float16 or float16 on CUDA) or a CTranslate2
            compute type supported by the device.
        cpu_threads: threads on CPU in all; 0 lets CTranslate2 choose.
        workload: "interactive" (one batch at a time, every thread on it: lowest latency)
            or "batch" (several batches at once on CPU, each on its own copy of the
            weights: highest throughput for documents and many lines; see `threads`).

    Raises:
        InputError: an unknown or unsupported device, compute type or thread count.
        ModelError: the package's model cannot be loaded.
    """

    def __init__(
        self,
        package: ModelPackage,
        device: str = "auto",
        compute_type: str = "auto",
        cpu_threads: int = 0,
        workload: str = "interactive",
    ) -> None:
        if not 0 <= cpu_threads <= MAX_CPU_THREADS:
            raise InputError(
                f"cpu_threads {cpu_threads} is out of range; "
                f"expected 0 (automatic) to {MAX_CPU_THREADS}"
            )
        started = time.perf_counter()
        package.check_files()
        choice = devices.choose(device, compute_type, package.path, package.manifest.quantization)
        self.package = package
        self.device = choice.device
        self.compute_type = choice.compute_type
        self.device_reason = choice.reason
        manifest = package.manifest
        tokenizer = Tokenizer(package.path, manifest)
        replica_bytes = weight_bytes(
            (package.path / "model.bin").stat().st_size, manifest.quantization, self.compute_type
        )
        self.layout = thread_layout(workload, self.device, cpu_threads, replica_bytes)
        translator = _load_translator(package, choice, self.layout)
        self._decoder: Decoder | None = Decoder(
            translator,
            tokenizer,
            manifest.special_tokens["eos"],
            manifest.max_input_tokens,
            package.identity,
            parallel=self.layout.replicas,
        )
        self.load_seconds = time.perf_counter() - started

    @property
    def identity(self) -> str:
        """The model translations are made with (see `ModelPackage.identity`)."""
        return self.package.identity

    def _live_decoder(self) -> Decoder:
        if self._decoder is None:
            raise ModelError(f"the engine of model '{self.package.name}' is closed")
        return self._decoder

    def _request(
        self, source: str | None, target: str | None, options: Options, attention: bool = False
    ) -> Request:
        if options is not None and not isinstance(options, TranslationOptions):
            raise TypeError(
                f"options must be TranslationOptions, not {type(options).__name__} "
                "(TranslationOptions.coerce converts a dict of option names)"
            )
        source_language, target_language = self.package.resolve_pair(source, target)
        return Request(
            source_language, target_language, options or TranslationOptions(), attention
        )

    def split(self, text: str) -> Layout:
        """The segments `translate` and `stream` work on, and the layout around them."""
        return split_text(text)

    def translate(
        self,
        text: str,
        source: str | None = None,
        target: str | None = None,
        options: Options = None,
    ) -> TranslationResult:
        """Translate `text`, keeping its paragraphs, blank lines and indentation.

        Args:
            text: any text; long sentences are cut to fit the model, never truncated.
            source: ISO code (or the model's code) of the source language; may be omitted
                when the model has a single source language. Same for `target`.
            options: TranslationOptions, or None for the defaults.
        """
        (result,) = self.translate_each([text], source, target, options)
        return result

    def stream(
        self,
        text: str,
        source: str | None = None,
        target: str | None = None,
        options: Options = None,
    ) -> TranslationStream:
        """Translate `text` as a lazy stream of events; nothing runs until iterated.

        Yields `SegmentDelta` (greedy decoding, beam_size 1) as tokens arrive, `SegmentDone`
        per segment in segment order, then one `StreamEnd` with the whole result. Segment
        indexes refer to `split(text).segments`. Closing the stream cancels decoding.
        """
        request = self._request(source, target, options)
        return TranslationStream(stream_events(self._live_decoder(), split_text(text), request))

    def _translate_layouts(
        self,
        texts: Sequence[str],
        request: Request,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[tuple[Layout, list[Translated]]]:
        layouts = [split_text(text) for text in texts]
        flat = [segment for layout in layouts for segment in layout.segments]
        owners = [owner for owner, layout in enumerate(layouts) for _ in layout.segments]

        def report(done: Sequence[bool]) -> None:
            if progress is None:
                return
            unfinished = {
                owner for owner, finished in zip(owners, done, strict=True) if not finished
            }
            progress(len(texts) - len(unfinished), len(texts))

        translated = self._live_decoder().translate_texts(flat, request, report, cancel)
        results = []
        position = 0
        for layout in layouts:
            count = len(layout.segments)
            results.append((layout, translated[position : position + count]))
            position += count
        return results

    def translate_segments(
        self,
        texts: Sequence[str],
        source: str | None = None,
        target: str | None = None,
        options: Options = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[str]:
        """Translate many texts (a document's paragraphs, cues, units) together.

        All sentences of all texts go through length-sorted token batches; duplicates are
        translated once. Each text keeps its own layout.

        Args:
            progress: called as `progress(done_texts, total_texts)` after each batch.
            cancel: checked between batches.

        Raises:
            TranslationCancelled: `cancel` was set.
        """
        return [
            result.text
            for result in self.translate_each(
                texts, source, target, options, progress=progress, cancel=cancel
            )
        ]

    def translate_each(
        self,
        texts: Sequence[str],
        source: str | None = None,
        target: str | None = None,
        options: Options = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[TranslationResult]:
        """`translate_segments` with each text's segments and token counts; `seconds` is the
        time of the whole call."""
        started = time.perf_counter()
        request = self._request(source, target, options)
        translated = self._translate_layouts(texts, request, progress, cancel)
        seconds = time.perf_counter() - started
        return [
            TranslationResult(
                text=layout.render([item.text for item in items]),
                segments=tuple(item.text for item in items),
                source_tokens=sum(item.source_tokens for item in items),
                target_tokens=sum(item.target_tokens for item in items),
                seconds=seconds,
            )
            for layout, items in translated
        ]

    def translate_aligned(
        self,
        texts: Sequence[str],
        source: str | None = None,
        target: str | None = None,
        options: Options = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[AlignedTranslation]:
        """Translate texts and align their words, for carrying inline formatting across.

        Returns one `AlignedTranslation` per text: character spans (source_start, source_end,
        target_start, target_end) from the model's attention, indexing the text and its
        translation. `progress` and `cancel` work as in `translate_segments`.
        """
        request = self._request(source, target, options, attention=True)
        aligned = []
        for layout, items in self._translate_layouts(texts, request, progress, cancel):
            alignment: list[tuple[int, int, int, int]] = []
            source_position = target_position = len(layout.separators[0])
            output = [layout.separators[0]]
            for segment, item, separator in zip(
                layout.segments, items, layout.separators[1:], strict=True
            ):
                alignment.extend(shift(item.alignment, source_position, target_position))
                output.extend((item.text, separator))
                source_position += len(segment) + len(separator)
                target_position += len(item.text) + len(separator)
            aligned.append(AlignedTranslation("".join(output), tuple(alignment)))
        return aligned

    def close(self) -> None:
        """Unload the model; the engine cannot translate afterwards."""
        if self._decoder is not None:
            self._decoder.unload()
            self._decoder = None
            _return_freed_memory()
