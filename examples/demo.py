"""`make demo`: install the bundled demo model as an int8 package and translate the examples.

Run from the repository root: `python examples/demo.py [--install-only]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINT = ROOT / "models" / "demo-en-fr"
MODEL_NAME = "demo-en-fr"
EXAMPLES = Path(__file__).resolve().parent
OUTPUT = ROOT / "build" / "demo"


def install_demo_model() -> None:
    """Convert the demo checkpoint into the store unless an up-to-date package is there."""
    from desktop_app.engine import ModelStore, sha256_file
    from desktop_app.errors import ModelError

    store = ModelStore()
    weights = sha256_file(CHECKPOINT / "model.safetensors")
    try:
        installed = store.get(MODEL_NAME)
    except ModelError:
        installed = None
    if installed is not None and installed.manifest.source.weights_sha256 == weights:
        print(f"demo model already installed: {installed.path}")
        return
    print(f"converting {CHECKPOINT.relative_to(ROOT)} -> {store.root / MODEL_NAME} (int8)")
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "converter",
        str(CHECKPOINT),
        "--name",
        MODEL_NAME,
        "--quantization",
        "int8",
        "--force",
    ]
    subprocess.run(command, check=True)
    print(f"converted in {time.perf_counter() - started:.1f} s")


def translate_examples() -> None:
    from desktop_app.engine import Engine, ModelStore

    started = time.perf_counter()
    engine = Engine(ModelStore().get(MODEL_NAME))
    loaded = time.perf_counter()
    print(
        f"\nmodel loaded in {loaded - started:.2f} s on {engine.device} "
        f"({engine.compute_type}; {engine.device_reason})"
    )
    for path in sorted(EXAMPLES.glob("*.en.txt")):
        text = path.read_text(encoding="utf-8")
        result = engine.translate(text, source="en", target="fr")
        print(f"\n--- {path.name} ---\n{text.rstrip()}\n--- French ---\n{result.text.rstrip()}")
        print(
            f"--- {result.target_tokens} tokens in {result.seconds:.2f} s "
            f"({result.tokens_per_second:.0f} tokens/s)"
        )


def translate_documents() -> None:
    documents = [p for p in sorted((EXAMPLES / "documents").glob("*")) if p.is_file()]
    if not documents:
        return
    print(f"\ntranslating {len(documents)} documents into {OUTPUT.relative_to(ROOT)}/")
    command = [
        sys.executable,
        "-m",
        "desktop_app",
        "files",
        *map(str, documents),
        "--to",
        "fr",
        "--model",
        MODEL_NAME,
        "-o",
        str(OUTPUT),
        "--overwrite",
    ]
    subprocess.run(command, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--install-only", action="store_true")
    args = parser.parse_args()
    try:
        install_demo_model()
        if not args.install_only:
            translate_examples()
            translate_documents()
    except subprocess.CalledProcessError as exc:
        print(f"demo: step failed with exit code {exc.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
