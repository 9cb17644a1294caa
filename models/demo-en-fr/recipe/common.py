"""Shared paths and constants for the demo English->French model recipe.

Scratch data and checkpoints live outside the repository, in ``$TOLK_DEMO_WORK``
(default ``/work/demo-train``); only the final export lands in ``models/demo-en-fr``.
"""
import os
from pathlib import Path

RECIPE = Path(__file__).resolve().parent
MODEL_DIR = RECIPE.parent
DATA = RECIPE / "data"
WORK = Path(os.environ.get("TOLK_DEMO_WORK", "/work/demo-train"))
LISTS = WORK / "lists"
CORPUS = WORK / "corpus"
SPM_PREFIX = WORK / "spm" / "spm"
CKPT = WORK / "ckpt"

VOCAB_SIZE = 8000  # shared vocabulary including <pad>
EOS_ID, UNK_ID, PAD_ID = 0, 1, VOCAB_SIZE - 1
