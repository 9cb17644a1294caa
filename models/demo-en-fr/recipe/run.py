"""Run the demo-model recipe end to end, or one stage of it.

    python models/demo-en-fr/recipe/run.py all            # every stage
    python models/demo-en-fr/recipe/run.py train --until 05:30

Stages: fetch, prepare, spm, train, export, evaluate, card.  Extra arguments
after the stage name are passed to that stage's script.  Training resumes
from ``$TOLK_DEMO_WORK/ckpt/last.pt`` if present; it runs at ``nice 10``
with passive OpenMP waiting.
"""
import subprocess
import sys

import os

from common import RECIPE

STAGES = {
    "fetch": ["fetch_data.py"],
    "prepare": ["prepare.py"],
    "spm": ["train_spm.py"],
    "train": ["train.py", "--max-steps", "3482"],
    "export": ["export.py"],
    "evaluate": ["evaluate.py", "--split", "test"],
    "card": ["write_card.py"],
}


def run(stage, extra=()):
    cmd = [sys.executable, str(RECIPE / STAGES[stage][0]), *STAGES[stage][1:], *extra]
    if stage == "train":
        cmd = ["nice", "-n", "10", *cmd]
    print("+", " ".join(cmd), flush=True)
    # Passive OpenMP waiting: on a shared, oversubscribed CPU spinning threads waste the job's share.
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    subprocess.run(cmd, check=True, cwd=RECIPE, env=env)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in [*STAGES, "all"]:
        raise SystemExit(__doc__)
    if sys.argv[1] == "all":
        for stage in STAGES:
            run(stage)
    else:
        run(sys.argv[1], sys.argv[2:])


if __name__ == "__main__":
    main()
