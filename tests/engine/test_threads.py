"""Thread layouts: one batch at a time for a person waiting, several at once for jobs, within
memory; and the same translations whichever layout decodes them."""

from __future__ import annotations

import threading

import pytest

from desktop_app.engine import Engine, ModelPackage, TranslationOptions
from desktop_app.engine.threads import ThreadLayout, thread_layout, weight_bytes
from desktop_app.errors import InputError, TranslationCancelled

GIB = 1 << 30
WORDS = ("house", "garden", "window", "river", "mountain", "street", "school", "bread", "music")
TEXTS = [f"The {word} number {n} is near the {other}." for n, (word, other) in
         enumerate(zip(WORDS * 3, reversed(WORDS * 3), strict=True))]
MANY_BATCHES = TranslationOptions(beam_size=1, max_batch_tokens=32, use_cache=False)


@pytest.mark.parametrize(
    ("cores", "replicas", "threads"), [(1, 1, 0), (2, 2, 1), (3, 3, 1), (8, 4, 2), (16, 4, 4)]
)
def test_jobs_decode_several_batches_at_once_on_cpu(
    cores: int, replicas: int, threads: int
) -> None:
    layout = thread_layout("batch", "cpu", 0, 100 << 20, cores=cores, memory=16 * GIB)
    assert (layout.replicas, layout.threads) == (replicas, threads)


def test_a_person_waiting_gets_every_thread_on_one_batch() -> None:
    assert thread_layout("interactive", "cpu", 6, 100 << 20, cores=8, memory=16 * GIB) == (
        ThreadLayout(1, 6, "one batch at a time, every thread on it")
    )
    assert thread_layout("batch", "cuda", 0, 100 << 20, cores=8, memory=16 * GIB).replicas == 1


def test_copies_of_the_weights_stay_within_a_quarter_of_memory() -> None:
    # A 1.2 GB model (NLLB-1.3B in int8) on an 8 GiB laptop with 8 cores: one copy fits.
    layout = thread_layout("batch", "cpu", 0, 1_200_000_000, cores=8, memory=8 * GIB)
    assert layout.replicas == 1 and layout.threads == 0
    assert "would not fit" not in layout.reason  # one copy: the interactive layout
    assert thread_layout("batch", "cpu", 0, 600_000_000, cores=8, memory=8 * GIB).replicas == 3


def test_weights_grow_when_loaded_wider_than_stored() -> None:
    assert weight_bytes(100, "int8", "int8_float32") == 100
    assert weight_bytes(100, "int8", "float32") == 400
    assert weight_bytes(400, "float32", "int8") == 100
    assert weight_bytes(200, "float16", "default") == 200


def test_an_unknown_workload_is_an_input_error() -> None:
    with pytest.raises(InputError, match="interactive, batch"):
        thread_layout("fast", "cpu", 0, 1)


def test_several_batches_at_once_translate_as_one_at_a_time(package: ModelPackage) -> None:
    with Engine(package, device="cpu", compute_type="float32", cpu_threads=1) as alone:
        expected = alone.translate_segments(TEXTS, options=MANY_BATCHES)
    with Engine(package, device="cpu", compute_type="float32", cpu_threads=2,
                workload="batch") as parallel:
        assert parallel.layout.replicas == 2
        done: list[int] = []
        translated = parallel.translate_segments(
            TEXTS, options=MANY_BATCHES, progress=lambda count, _total: done.append(count)
        )
    assert translated == expected
    assert done == sorted(done) and done[-1] == len(TEXTS)


def test_cancel_stops_a_job_decoding_batches_at_once(package: ModelPackage) -> None:
    cancel = threading.Event()
    with Engine(package, device="cpu", compute_type="float32", cpu_threads=2,
                workload="batch") as parallel:
        done: list[int] = []

        def progress(count: int, _total: int) -> None:
            done.append(count)
            cancel.set()

        with pytest.raises(TranslationCancelled):
            parallel.translate_segments(TEXTS, options=MANY_BATCHES, progress=progress,
                                        cancel=cancel)
    assert 0 < done[-1] < len(TEXTS)
