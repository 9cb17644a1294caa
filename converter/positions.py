"""Sinusoidal position tables that checkpoints do not store.

Computed in float64 and rounded once to float32, on both conversion paths, so that a package
does not depend on the machine that converted it: torch's vectorised float32 sin/cos differ
from the correctly rounded values in the last bit for many entries, and by CPU.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


def marian_positions(positions: int, dim: int) -> Array:
    """Marian's table: sines in the first half of each row, cosines in the second."""
    # Each denominator as a scalar power, as HF computes them (numpy's vectorised pow may
    # round differently).
    denominators = np.array([np.power(10000, 2 * (j // 2) / dim) for j in range(dim)])
    angles = np.arange(positions, dtype=np.float64)[:, None] / denominators[None, :]
    table = np.empty((positions, dim), dtype=np.float32)
    half = dim // 2 if dim % 2 == 0 else dim // 2 + 1
    table[:, :half] = np.sin(angles[:, 0::2])
    table[:, half:] = np.cos(angles[:, 1::2])
    return table


def m2m100_positions(positions: int, dim: int) -> Array:
    """M2M100/NLLB's table (fairseq's), without the two leading rows CTranslate2 skips."""
    half = dim // 2
    step = math.log(10000) / (half - 1)
    frequencies = np.exp(np.arange(half, dtype=np.float64) * -step)
    angles = np.arange(2, positions + 2, dtype=np.float64)[:, None] * frequencies[None, :]
    table = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    if dim % 2 == 1:
        table = np.concatenate([table, np.zeros((positions, 1))], axis=1)
    return table.astype(np.float32)
