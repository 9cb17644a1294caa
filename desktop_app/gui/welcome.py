"""What a first start without any model shows in place of empty language pickers: how to get one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.gui.widgets import named, wrapping_label


class WelcomePanel(QWidget):
    """The ways to get a model; `import_requested` when the user picks the import button."""

    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        self._folder = Path()
        title = named(QLabel(self.tr("Welcome to Tolk")), "welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        title.setFont(font)
        self.body = wrapping_label("welcomeText")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.import_button = named(
            QPushButton(self.tr("&Import a checkpoint…")), "welcomeImportButton"
        )
        self.open_folder_button = named(
            QPushButton(self.tr("Open the models fo&lder")), "welcomeOpenFolderButton"
        )
        self.import_button.clicked.connect(self.import_requested)
        self.open_folder_button.clicked.connect(self._open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.body)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.set_store_folder(self._folder)

    def set_store_folder(self, folder: Path) -> None:
        """Where installed models go: a package copied there appears at once."""
        self._folder = folder
        steps = [
            self.tr("No translation model is installed yet. To get one:"),
            self.tr("<b>Import a model package</b> (a folder with <i>tolk.json</i>, converted "
                    "on another computer): copy it into %1. It appears here at once."),
            self.tr("<b>Convert a Hugging Face checkpoint</b>, a folder or a hub id such as "
                    "Helsinki-NLP/opus-mt-en-de: press <i>Import a checkpoint…</i>, or run "
                    "<tt>tolk convert Helsinki-NLP/opus-mt-en-de --download</tt>. Converting "
                    "needs Tolk's converter: <tt>pip install \"tolk[convert]\"</tt>."),
            self.tr("<b>Get a ready-made model</b> from the online list: <i>Models → Get "
                    "models…</i>, or <tt>tolk models install CODE</tt>. An Argos Translate "
                    "package (<i>.argosmodel</i>) carried from another computer installs with "
                    "<i>Models → Import package…</i> or <tt>tolk models import FILE</tt>."),
        ]
        location = f"<tt>{_escape(str(folder))}</tt>"
        items = "".join(f"<li>{step.replace('%1', location)}</li>" for step in steps[1:])
        self.body.setText(f"<p>{steps[0]}</p><ul>{items}</ul>")

    def _open_folder(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
