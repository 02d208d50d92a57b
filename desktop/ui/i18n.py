"""The interface language: Chinese by default, English on request.

``CLINIC_POS_LANG=en`` (or ``zh_CN``) wins; otherwise the ``language`` value in the
user's Qt settings; otherwise Chinese. Source strings are English, so English needs
no translation file.

Qt's own dialogs (save as, print) need two more things in Chinese. Their words come from
Qt's ``qtbase_zh_CN.qm``, which the PySide6 wheel ships older than its Qt: strings Qt 6
reworded ("&Look in:", "Files of &type:", the folder type) have no translation there,
so ``qt_extra_zh_CN`` beside ours supplies them. And their dates come from the system
locale (``QLocale::system()``), which ``QLocale.setDefault`` does not change: on a Linux
machine set to C a file saved today reads "3 12 2026". Qt reads the system locale from
the environment once, so ``prepare_system_locale`` sets the time locale before the
application is made.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
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


def prepare_system_locale(language: str | None = None) -> None:
    """Chinese dates in Qt's own dialogs: call before the QApplication is made.

    Only where Qt reads the system locale from the environment (not Windows or macOS,
    whose own settings Qt asks), and only when the environment names no Chinese time
    locale; ``LC_ALL``, a choice for everything, is left as it is. An unknown locale name
    costs nothing: the C library keeps its own, Qt takes the name's formats.

    The language is taken from ``CLINIC_POS_LANG`` only: reading the Qt settings would
    have Qt read the system locale first, for good. English chosen in the settings keeps
    the dialogs' dates as 2026/12/3, which reads the same in English.
    """
    chosen = language or (ENGLISH if os.environ.get("CLINIC_POS_LANG", "").lower().startswith("en") else CHINESE)
    if chosen != CHINESE or sys.platform in ("win32", "darwin") or os.environ.get("LC_ALL"):
        return
    if not (os.environ.get("LC_TIME") or os.environ.get("LANG") or "").startswith("zh"):
        os.environ["LC_TIME"] = "zh_CN.UTF-8"


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
    # Installed after Qt's: asked first, for what Qt's own file lacks (see the docstring).
    qt_extra = QTranslator(app)
    if qt_extra.load(f"qt_extra_{CHINESE}", translations_folder()):
        app.installTranslator(qt_extra)
        installed.append(qt_extra)
    return installed


def remove_translation(app: QCoreApplication, installed: list[QTranslator]) -> None:
    for translator in installed:
        app.removeTranslator(translator)
