"""How CTranslate2's CPU threads are laid out for a workload.

Someone watching the Translate tab waits for one batch: all threads work on it (`interactive`).
A document job or many lines of input wait for the last of many batches: each core decoding
its own batch finishes sooner (`batch`; `python bench/documents.py` measures jobs laid out so
against raw CTranslate2 at its default layout, figures in docs/BENCHMARKS.md). Each batch
decoded at once needs its own copy of the weights (a CTranslate2 replica), so the copies are
capped by memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from desktop_app.errors import InputError

WORKLOADS = ("interactive", "batch")
MAX_REPLICAS = 4
# All copies of the weights together stay within this share of the machine's memory.
MEMORY_SHARE = 0.25
# Bytes per weight, to size a replica from the package file and the compute type.
_WEIGHT_BYTES = {"int8": 1, "float16": 2, "bfloat16": 2, "float32": 4}


@dataclass(frozen=True, slots=True)
class ThreadLayout:
    """Batches decoded at once (each on its own copy of the weights) and threads for each."""

    replicas: int
    threads: int  # 0 lets CTranslate2 choose
    reason: str


def weight_bytes(model_bytes: int, quantization: str, compute_type: str) -> int:
    """The memory one copy of the weights takes once loaded with `compute_type`."""
    stored = _WEIGHT_BYTES.get(quantization, 4)
    # int8_float16 and the like keep int8 weights; "default" keeps the package's own.
    loaded = 1 if compute_type.startswith("int8") else _WEIGHT_BYTES.get(compute_type, stored)
    return model_bytes * loaded // stored


def physical_memory() -> int | None:
    """Bytes of memory in the machine, None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return None


def thread_layout(
    workload: str,
    device: str,
    cpu_threads: int,
    replica_bytes: int,
    *,
    cores: int | None = None,
    memory: int | None = None,
) -> ThreadLayout:
    """The layout for `workload` on `device` with `cpu_threads` in all (0: every core).

    Raises:
        InputError: an unknown workload.
    """
    if workload not in WORKLOADS:
        raise InputError(f"unknown workload '{workload}'; expected one of: {', '.join(WORKLOADS)}")
    if workload == "interactive":
        return ThreadLayout(1, cpu_threads, "one batch at a time, every thread on it")
    if device != "cpu":
        return ThreadLayout(1, cpu_threads, "one batch at a time on the GPU")
    total = cpu_threads or cores or os.cpu_count() or 1
    # Up to 3 cores a batch each; beyond, 2 threads a batch still beat 1 on wide batches.
    replicas = min(MAX_REPLICAS, total if total <= 3 else total // 2)
    reason = f"{replicas} batches at once"
    memory = memory if memory is not None else physical_memory()
    if memory is None:
        replicas = min(replicas, 2)
    else:
        fit = int(memory * MEMORY_SHARE) // max(1, replica_bytes)
        if fit < replicas:
            replicas = max(1, fit)
            reason = f"{replicas} batches at once (more copies of the weights would not fit)"
    if replicas == 1:
        return ThreadLayout(1, cpu_threads, "one batch at a time, every thread on it")
    return ThreadLayout(replicas, max(1, total // replicas), f"{reason}, each its own threads")
