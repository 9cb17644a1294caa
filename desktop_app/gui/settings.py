"""User settings: a typed, frozen object persisted with QSettings, and the dialog that edits it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from desktop_app.engine import COMPUTE_TYPES, DEVICES
from desktop_app.errors import InputError

THEMES = ("system", "light", "dark")
UI_LANGUAGES = ("system", "en", "fr")
# Beam sizes offered by the quality/speed switch: 1 streams word by word, larger is better.
BEAM_SIZES = (1, 2, 4, 8)
# The app starts on greedy decoding: it streams word by word as the user types, where beam
# search shows a sentence only when it is done (the command line defaults to beam 4).
INTERACTIVE_BEAM_SIZE = 1


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Everything the user can change, validated once on construction."""

    device: str = "auto"
    compute_type: str = "auto"
    cpu_threads: int = 0
    beam_size: int = INTERACTIVE_BEAM_SIZE
    theme: str = "system"
    ui_language: str = "system"
    live_translate: bool = True
    source_language: str = ""
    target_language: str = ""
    output_folder: str = ""

    def __post_init__(self) -> None:
        for name, value, accepted in (
            ("device", self.device, DEVICES),
            ("compute type", self.compute_type, COMPUTE_TYPES),
            ("theme", self.theme, THEMES),
            ("interface language", self.ui_language, UI_LANGUAGES),
        ):
            if value not in accepted:
                raise InputError(
                    f"unknown {name} '{value}'; expected one of: {', '.join(accepted)}"
                )
        if self.beam_size not in BEAM_SIZES:
            raise InputError(
                f"beam size {self.beam_size} is not offered; expected one of: "
                + ", ".join(map(str, BEAM_SIZES))
            )
        if not 0 <= self.cpu_threads <= 256:
            raise InputError(
                f"cpu threads {self.cpu_threads} out of range; expected 0 (automatic) to 256"
            )

    def with_(self, **changes: Any) -> AppSettings:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class PendingJob:
    """A document job that has not finished: restored at the next start to be resumed."""

    files: tuple[str, ...]
    source: str
    target: str
    output_folder: str


def default_qsettings(environ: Mapping[str, str] = os.environ) -> QSettings:
    """`$TOLK_HOME/tolk.ini` when TOLK_HOME is set (isolated stores keep isolated settings),
    else the platform's per-user location."""
    home = environ.get("TOLK_HOME")
    if home:
        return QSettings(str(Path(home).expanduser() / "tolk.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "tolk", "tolk")


class SettingsStore:
    """Reads and writes `AppSettings` in a QSettings; values that no longer validate (an old
    or hand-edited file) fall back to their defaults instead of preventing the app from starting."""

    def __init__(self, qsettings: QSettings) -> None:
        self._qsettings = qsettings

    @property
    def path(self) -> str:
        return self._qsettings.fileName()

    def load(self) -> AppSettings:
        defaults = AppSettings()
        loaded = defaults
        for field in fields(AppSettings):
            default = getattr(defaults, field.name)
            raw = self._qsettings.value(field.name, default)
            try:
                value = _coerce(raw, type(default))
                loaded = loaded.with_(**{field.name: value})
            except (InputError, ValueError, TypeError):
                continue
        return loaded

    def save(self, settings: AppSettings) -> None:
        for field in fields(AppSettings):
            self._qsettings.setValue(field.name, getattr(settings, field.name))
        self._qsettings.sync()

    def pending_job(self) -> PendingJob | None:
        raw = self._qsettings.value(_PENDING_JOB_KEY, "")
        try:
            data = json.loads(str(raw)) if raw else None
            return PendingJob(tuple(data["files"]), data["source"], data["target"],
                              data["output_folder"]) if data else None
        except (ValueError, KeyError, TypeError):
            return None

    def save_pending_job(self, job: PendingJob | None) -> None:
        if job is None:
            self._qsettings.remove(_PENDING_JOB_KEY)
        else:
            self._qsettings.setValue(_PENDING_JOB_KEY, json.dumps(asdict(job)))
        self._qsettings.sync()

    def window_geometry(self) -> QByteArray:
        """The main window's geometry when it last closed (empty before the first close)."""
        raw = self._qsettings.value(_GEOMETRY_KEY, QByteArray())
        return raw if isinstance(raw, QByteArray) else QByteArray()

    def save_window_geometry(self, geometry: QByteArray) -> None:
        self._qsettings.setValue(_GEOMETRY_KEY, geometry)
        self._qsettings.sync()


_PENDING_JOB_KEY = "documents/pending_job"
_GEOMETRY_KEY = "window/geometry"


def _coerce(raw: object, kind: type) -> object:
    # INI files store everything as text: "true"/"false", "4".
    if kind is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
    if kind is int:
        return int(str(raw))
    return str(raw)


class SettingsDialog(QDialog):
    """Edits device, compute type, threads, default beam size, theme and interface language."""

    def __init__(
        self, settings: AppSettings, device_status: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        form = QFormLayout(self)

        self.device = self._combo("deviceChoice", [
            ("auto", self.tr("Automatic (CUDA when it works, else CPU)")),
            ("cpu", self.tr("CPU")),
            ("cuda", self.tr("CUDA (NVIDIA GPU)")),
        ], settings.device)
        form.addRow(self.tr("&Device:"), self.device)
        status = QLabel(device_status)
        status.setObjectName("deviceStatus")
        status.setWordWrap(True)
        form.addRow("", status)

        self.compute_type = self._combo("computeType", [
            (value, self.tr("Automatic") if value == "auto" else value) for value in COMPUTE_TYPES
        ], settings.compute_type)
        form.addRow(self.tr("C&ompute type:"), self.compute_type)

        self.cpu_threads = QSpinBox()
        self.cpu_threads.setObjectName("cpuThreads")
        self.cpu_threads.setRange(0, os.cpu_count() or 64)
        self.cpu_threads.setSpecialValueText(self.tr("Automatic"))
        self.cpu_threads.setValue(min(settings.cpu_threads, self.cpu_threads.maximum()))
        self.cpu_threads.setAccessibleName(self.tr("CPU threads"))
        form.addRow(self.tr("CPU &threads:"), self.cpu_threads)

        self.beam_size = self._combo("defaultBeamSize", beam_choices(), settings.beam_size)
        form.addRow(self.tr("Default &quality:"), self.beam_size)

        self.theme = self._combo("themeChoice", [
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ], settings.theme)
        form.addRow(self.tr("T&heme:"), self.theme)

        self.ui_language = self._combo("uiLanguage", [
            ("system", self.tr("Follow the system")),
            ("en", "English"),
            ("fr", "Français"),
        ], settings.ui_language)
        form.addRow(self.tr("&Interface language:"), self.ui_language)
        note = QLabel(self.tr("A new interface language applies the next time Tolk starts."))
        note.setWordWrap(True)
        form.addRow("", note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _combo(self, name: str, items: list[tuple[Any, str]], current: Any) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for value, label in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def chosen(self) -> AppSettings:
        """The settings as edited in the dialog (unchanged fields kept)."""
        return self._settings.with_(
            device=self.device.currentData(),
            compute_type=self.compute_type.currentData(),
            cpu_threads=self.cpu_threads.value(),
            beam_size=self.beam_size.currentData(),
            theme=self.theme.currentData(),
            ui_language=self.ui_language.currentData(),
        )


def beam_choices() -> list[tuple[int, str]]:
    """Labels of the quality/speed switch, shared by the Translate tab and the dialog."""
    return [
        (1, QCoreApplication.translate("BeamChoices", "Fastest (word by word)")),
        (2, QCoreApplication.translate("BeamChoices", "Balanced")),
        (4, QCoreApplication.translate("BeamChoices", "Better quality")),
        (8, QCoreApplication.translate("BeamChoices", "Best quality (slowest)")),
    ]
