"""The interface language: Chinese by default, English on request.

``CLINIC_POS_LANG=en`` (or ``zh_CN``) wins; otherwise the ``language`` value in the
user's Qt settings; otherwise Chinese. Source strings are English, so English needs
no translation file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

import resources

CHINESE = "zh_CN"
ENGLISH = "en"
ORGANISATION = "clinic-pos"
# Dates and times on screen are Beijing's. desktop.settlement.service.CHINA is the same
# zone; it is not imported here because the window is shown before the store loads.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def chosen_language() -> str:
    chosen = os.environ.get("CLINIC_POS_LANG") or str(QSettings(ORGANISATION, ORGANISATION).value("language", ""))
    return ENGLISH if chosen.lower().startswith("en") else CHINESE


def translations_folder() -> str:
    return str(Path(resources.__file__).parent / "i18n")  # QTranslator loads from a folder on disk


def install_translation(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Load the program's and Qt's own translations; keep the returned translators alive."""
    language = language or chosen_language()
    if language == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed = []
    # One file per part of the window (the counter; the ledger and day close).
    for name in ("clinic_pos", "ledger"):
        ours = QTranslator(app)
        if ours.load(f"{name}_{CHINESE}", translations_folder()):
            app.installTranslator(ours)
            installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{CHINESE}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed


def remove_translation(app: QCoreApplication, installed: list[QTranslator]) -> None:
    for translator in installed:
        app.removeTranslator(translator)
