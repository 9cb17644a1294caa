"""What Qt answers through ICU: collation, case mapping, time zone names and which converters
it has. `qt_answers` runs this file as a script under the ICU data library to check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cmp_to_key
from pathlib import Path

from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

WORDS = ["zebra", "Äpfel", "apple", "Öl", "ozean", "école", "cote", "côte", "coté", "file10",
         "file9", "東京", "大阪", "Ωmega", "ça", "Ångström", "chata", "hrad", "cz", "\u0131slak"]
LOCALES = ["de_DE", "sv_SE", "fr_FR", "cs_CZ", "ja_JP", "zh_CN", "tr_TR", "en_US"]
ZONES = [b"Europe/Paris", b"America/New_York", b"Asia/Tokyo", b"Asia/Kolkata"]
CODECS = ["UTF-8", "UTF-16LE", "ISO-8859-1", "US-ASCII", "windows-1252", "KOI8-R",
          "ISO-8859-15", "macintosh", "Shift_JIS", "GB18030"]


# Converters with multi-byte tables, which the trimmed data leaves out on purpose.
MULTI_BYTE_CODECS = ("Shift_JIS", "GB18030")


def kept_answers(answers: dict[str, object]) -> dict[str, object]:
    """`answers` without those of the multi-byte converters."""
    dropped = {f"codec {codec}" for codec in MULTI_BYTE_CODECS}
    return {key: value for key, value in answers.items() if key not in dropped}


def qt_answers(icu_data_library: Path | None) -> dict[str, object]:
    """Qt's answers with `icu_data_library` loaded in place of the PySide6 wheel's own."""
    env = dict(os.environ)
    if icu_data_library is not None:
        env["LD_PRELOAD"] = str(icu_data_library)  # same soname: Qt's libicuuc binds to it
    result = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, timeout=120,
        check=True,
    )
    answers: dict[str, object] = json.loads(result.stdout)
    return answers


def main() -> None:
    answers: dict[str, object] = {}
    for name in LOCALES:
        locale = QLocale(name)
        collator = QCollator(locale)
        collator.setNumericMode(True)  # as the file dialogs sort
        answers[f"sort {name}"] = sorted(WORDS, key=cmp_to_key(collator.compare))
        answers[f"case {name}"] = [locale.toUpper("istanbul ißt"), locale.toLower("İSTANBUL IŞIK")]
    for zone in ZONES:
        time_zone = QTimeZone(zone)
        for name in ["fr_FR", "de_DE", "ja_JP", "en_US"]:
            for kind in (QTimeZone.TimeType.StandardTime, QTimeZone.TimeType.DaylightTime):
                for style in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName):
                    key = f"zone {zone.decode()} {name} {kind.name} {style.name}"
                    answers[key] = time_zone.displayName(kind, style, QLocale(name))
    for codec in CODECS:
        answers[f"codec {codec}"] = QStringDecoder(codec).isValid()
    print(json.dumps(answers, ensure_ascii=False))


if __name__ == "__main__":
    main()
