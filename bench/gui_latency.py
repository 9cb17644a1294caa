"""Token-to-screen latency of the Translate tab: from the moment the engine yields a streamed
token to the moment the tab's translation contains it.

`python -m bench.gui_latency [--tokens 600] [--pause-ms 0 2 10 30]` streams one long sentence
through the real tab and worker thread once per pause between tokens (a stand-in engine, so
the figures are the GUI's own cost) and prints one JSON line with the median, 95th percentile
and maximum per pause, how many times the screen was updated and how many signals the worker
thread sent for it.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import sys
import time

FRAME_MS = 1000 / 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gui_latency", description=__doc__)
    parser.add_argument("--tokens", type=int, default=600)
    parser.add_argument("--pause-ms", type=float, nargs="+", default=[0.0, 2.0, 10.0, 30.0])
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.gui.app import application

    application()
    runs = {f"{pause:g}": _measure(args.tokens, pause / 1000) for pause in args.pause_ms}
    print(json.dumps({"benchmark": "gui_token_to_screen_ms", "frame_ms": round(FRAME_MS, 1),
                      "by_pause_ms": runs}))
    return 0


def _measure(tokens: int, pause_s: float) -> dict[str, float]:
    from desktop_app.gui.soak import FloodEngine, TimedFloodEngine, soak_tab, spin
    from desktop_app.gui.workers import EngineConfig

    engine = TimedFloodEngine(batch=1, pause_s=pause_s)
    sent = engine.sent  # when each token was yielded, text length with it
    tab, service = soak_tab(engine)
    shown_at: list[float] = []
    shown_length: list[int] = []

    def shown(_request_id: int, _text: str) -> None:  # runs after the tab has updated
        shown_at.append(time.perf_counter())
        shown_length.append(len(tab.translation()))

    service.partial.connect(shown)
    signals = [0]  # cross-thread partial signals from the worker

    def count_signal(*_args: object) -> None:
        signals[0] += 1

    service.worker.partial.connect(count_signal)
    finished: list[object] = []
    tab.translated.connect(finished.append)
    tab.translated.connect(lambda _result: shown(0, ""))
    tab.show()
    service.load(EngineConfig(FloodEngine.package.path))
    # One sentence, no sentence end: one segment whose text only grows.
    tab.source_text.setPlainText(" ".join(["word"] * tokens))
    tab.translate()
    spin(lambda: bool(finished), timeout_s=300)
    tab.close()
    service.shutdown()
    if not finished:
        raise RuntimeError("the translation did not finish")
    latencies = []
    for when, length in sent:
        index = bisect.bisect_left(shown_length, length)
        if index < len(shown_at):
            latencies.append((shown_at[index] - when) * 1000)
    latencies.sort()
    return {
        "median": round(statistics.median(latencies), 2),
        "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "max": round(latencies[-1], 2),
        "tokens": len(sent),
        "screen_updates": len(shown_at),
        "worker_signals": signals[0],
    }


if __name__ == "__main__":
    sys.exit(main())
