"""The dialog that asks which checkpoint to import (a folder or a hub id), its name and its
quantization, and checks the checkpoint before it closes."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_app.gui.widgets import buddy_label, named, wrapping_label

QUANTIZATION_CHOICES = ("int8", "int8_float16", "float16", "float32")


class ImportDialog(QDialog):
    """Asks for a checkpoint folder or hub id, a package name and a quantization.

    OK checks the checkpoint first and keeps the dialog open, with what was typed, when it
    cannot be imported: a typo costs a correction, not the whole form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import a checkpoint"))
        self._source = named(QLineEdit(), "importSource")
        self._source.setAccessibleName(self.tr("Checkpoint folder or hub id"))
        self._source.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._browse)
        source_row = QHBoxLayout()
        source_row.addWidget(self._source, 1)
        source_row.addWidget(browse)
        # A wrapping label, not a placeholder: a placeholder is cut at the field's width.
        hint = wrapping_label("importHint")
        hint.setText(
            self.tr("A checkpoint folder (with config.json), or a Hugging Face hub id such as "
                    "Helsinki-NLP/opus-mt-en-de.")
        )
        self._download = named(
            QCheckBox(self.tr("&Download a hub id that is not on this computer")),
            "importDownload",
        )
        self._name = named(QLineEdit(), "importName")
        self._name.setPlaceholderText(self.tr("Chosen from the checkpoint"))
        self._name.setAccessibleName(self.tr("Model name"))
        self._quantization = named(QComboBox(), "importQuantization")
        self._quantization.addItems(QUANTIZATION_CHOICES)
        self._quantization.setAccessibleName(self.tr("Quantization"))
        self.error = wrapping_label("importError")
        form = QFormLayout(self)
        # The row's field is a layout, which QFormLayout cannot make a buddy of.
        form.addRow(buddy_label(self.tr("&Checkpoint:"), self._source), source_row)
        form.addRow("", hint)
        form.addRow("", self._download)
        form.addRow(self.tr("&Name:"), self._name)
        form.addRow(self.tr("&Quantization:"), self._quantization)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Checkpoint folder"))
        if folder:
            self._source.setText(folder)

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self._source.setFocus()
            return
        super().accept()

    def problem(self) -> str:
        """Why the checkpoint cannot be imported as typed ('' when it can be tried)."""
        source = self.source()
        if not source:
            return self.tr("Give a checkpoint folder or a hub id.")
        path = Path(source).expanduser()
        if path.exists():
            return self._folder_problem(path)
        if not _HUB_ID.fullmatch(source):
            return self.tr("No such folder: %1").replace("%1", source)
        if not self.download() and not _in_hub_cache(source):
            return self.tr(
                "%1 is not on this computer. Tick “Download a hub id that is not on this "
                "computer” to fetch it (it needs the network), or choose a folder."
            ).replace("%1", source)
        return ""

    def _folder_problem(self, path: Path) -> str:
        if not path.is_dir():
            return self.tr("%1 is a file: choose the folder that holds it.").replace(
                "%1", str(path)
            )
        if not (path / "config.json").is_file():
            return self.tr("%1 has no config.json: it is not a checkpoint folder.").replace(
                "%1", str(path)
            )
        return ""

    def source(self) -> str:
        return self._source.text().strip()

    def name(self) -> str:
        return self._name.text().strip()

    def quantization(self) -> str:
        return self._quantization.currentText()

    def download(self) -> bool:
        return self._download.isChecked()


# What the hub accepts as a model id: "name" or "owner/name".
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")


def _in_hub_cache(hub_id: str) -> bool:
    """Whether the local Hugging Face cache holds `hub_id` (True when that cannot be told)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # the converter says so itself when it runs
        return True
    return isinstance(try_to_load_from_cache(hub_id, "config.json"), str)
