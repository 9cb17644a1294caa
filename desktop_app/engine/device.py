"""Choice of device and compute type for CTranslate2, with the reason for each choice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.errors import InputError

DEVICES = ("auto", "cpu", "cuda")
COMPUTE_TYPES = (
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "float16",
    "bfloat16",
    "float32",
)
# Preferred compute types per device, best first; the first supported one wins.
_AUTO_PREFERENCE = {
    "cpu": ("int8", "int8_float32"),
    "cuda": ("int8_float16", "float16", "int8", "float32"),
}


@dataclass(frozen=True, slots=True)
class DeviceChoice:
    """Where and how the model runs, and why."""

    device: str
    compute_type: str
    reason: str


def supported_compute_types(device: str) -> frozenset[str]:
    import ctranslate2

    try:
        return frozenset(ctranslate2.get_supported_compute_types(device))
    except (RuntimeError, ValueError):
        return frozenset()


def _cuda_probe(model_dir: Path) -> str | None:
    """None when a token really decodes on CUDA, else why not."""
    import ctranslate2

    try:
        count = ctranslate2.get_cuda_device_count()
    except (RuntimeError, OSError) as exc:
        return f"CUDA not available: {exc}"
    if count == 0:
        return "CUDA not available: no CUDA device found"
    try:
        translator = ctranslate2.Translator(str(model_dir), device="cuda")
        translator.translate_batch([["</s>"]], max_decoding_length=1, beam_size=1)
    except (RuntimeError, OSError, ValueError) as exc:
        return f"CUDA not usable: {exc}"
    del translator
    return None


def _resolve_device(device: str, model_dir: Path) -> tuple[str, str]:
    if device not in DEVICES:
        raise InputError(f"unknown device '{device}'; expected one of: {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu", "CPU requested"
    failure = _cuda_probe(model_dir)
    if device == "cuda":
        if failure is not None:
            raise InputError(f"device 'cuda' requested but {failure}; use device 'cpu' or 'auto'")
        return "cuda", "CUDA requested"
    if failure is None:
        return "cuda", "CUDA device found and a test decode succeeded"
    return "cpu", failure


def _resolve_compute_type(compute_type: str, device: str, package_quantization: str) -> str:
    supported = supported_compute_types(device)
    if compute_type != "auto":
        if compute_type not in supported:
            raise InputError(
                f"compute type '{compute_type}' is not supported on {device}; "
                f"expected one of: auto, {', '.join(sorted(supported))}"
            )
        return compute_type
    for candidate in (*_AUTO_PREFERENCE[device], package_quantization):
        if candidate in supported:
            return candidate
    return "default"  # CTranslate2 keeps the weights' own type


def choose(
    device: str, compute_type: str, model_dir: Path, package_quantization: str
) -> DeviceChoice:
    """Resolve `auto` values: CUDA when a probe decodes there, int8 on CPU, int8_float16 on CUDA.

    Raises:
        InputError: unknown or unsupported values, listing the accepted ones.
    """
    # Validate the compute type name before the (possibly slow) device probe.
    if compute_type not in COMPUTE_TYPES:
        raise InputError(
            f"unknown compute type '{compute_type}'; expected one of: {', '.join(COMPUTE_TYPES)}"
        )
    resolved_device, reason = _resolve_device(device, model_dir)
    resolved_type = _resolve_compute_type(compute_type, resolved_device, package_quantization)
    return DeviceChoice(resolved_device, resolved_type, reason)
