"""What the window remembers between runs of the app (QSettings).

The last configuration, the window geometry, plot options, recent files and the language.

``WORKBENCH_SETTINGS_DIR`` points the settings at an INI file in that folder instead of the
platform's store; the tests use it so they never read or change a person's real settings.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QLocale, QSettings

from workbench.config import ConfigError, TrainConfig, dumps_toml

log = logging.getLogger(__name__)

SETTINGS_DIR_ENV = "WORKBENCH_SETTINGS_DIR"
# Overrides both the stored choice and the system locale: for tests, demos and screenshots.
LANGUAGE_ENV = "WORKBENCH_LANG"
# The interface languages, by code; "en" is the language of the source strings.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
ORGANIZATION = "Workbench"
APPLICATION = "Workbench"
MAX_RECENT = 8
MAX_PACE = 10_000.0  # a stored speed above this (or below 0) is ignored

_CONFIG_KEY = "session/config_toml"
_GEOMETRY_KEY = "window/geometry"
_STATE_KEY = "window/state"
_SPLITTER_KEY = "window/splitter"
_RECENT_KEY = "files/recent"
_SMOOTHING_KEY = "plots/smoothing"
_LOG_KEY = "plots/log_y"
_LANGUAGE_KEY = "ui/language"
_THEME_KEY = "ui/theme"
_PRESENTATION_KEY = "ui/presentation_mode"
_ADVANCED_KEY = "form/show_advanced"
_PACE_KEY = "run/pace"  # iterations per second; 0: as fast as possible
# View > Theme: Fusion light or dark, or the platform's own look.
THEMES = ("light", "dark", "system")


def _flag(value: object, default: bool) -> bool:
    """QSettings gives booleans back as "true"/"false" strings from INI files."""
    if value is None:
        return default
    return str(value).lower() in ("true", "1")


def open_settings() -> QSettings:
    folder = os.environ.get(SETTINGS_DIR_ENV)
    if folder:
        return QSettings(str(Path(folder) / "workbench.ini"), QSettings.IniFormat)
    return QSettings(QSettings.NativeFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)


def normalise_language(code: str) -> str | None:
    """ "zh", "zh_CN", "zh-Hans", "zh_CN.UTF-8" -> "zh_CN"; "en_GB" -> "en"; others -> None."""
    code = code.strip().replace("-", "_").split(".")[0].lower()
    if code.startswith("zh"):
        return "zh_CN"  # the only Chinese translation: Simplified is better than English
    if code.startswith("en"):
        return "en"
    return None


def resolve_language(settings: Settings | None = None) -> str:
    """The interface language: $WORKBENCH_LANG, else the stored choice, else the system's."""
    from_env = normalise_language(os.environ.get(LANGUAGE_ENV, ""))
    if from_env:
        return from_env
    stored = (settings if settings is not None else Settings()).language()
    if stored:
        return stored
    return "zh_CN" if QLocale.system().name().lower().startswith("zh") else "en"


class Settings:
    """Typed access to the few things the window stores."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else open_settings()

    # -- configuration ---------------------------------------------------------------------
    def last_config(self) -> TrainConfig | None:
        text = self.store.value(_CONFIG_KEY, "", str)
        if not text:
            return None
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            return TrainConfig.from_dict(tomllib.loads(text))
        except (ConfigError, ValueError) as exc:
            # A stored config from an older version that no longer reads: start from defaults.
            log.warning("ignoring the stored configuration: %s", exc)
            return None

    def set_last_config(self, cfg: TrainConfig) -> None:
        self.store.setValue(_CONFIG_KEY, dumps_toml(cfg))

    # -- window ------------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self.store.value(_GEOMETRY_KEY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self.store.value(_STATE_KEY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def splitter(self) -> QByteArray | None:
        value = self.store.value(_SPLITTER_KEY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self.store.setValue(_GEOMETRY_KEY, geometry)
        self.store.setValue(_STATE_KEY, state)
        self.store.setValue(_SPLITTER_KEY, splitter)

    # -- plots -------------------------------------------------------------------------------
    def smoothing(self) -> float:
        try:
            return min(max(float(self.store.value(_SMOOTHING_KEY, 0.6)), 0.0), 0.99)
        except (TypeError, ValueError):
            return 0.6

    def set_smoothing(self, value: float) -> None:
        self.store.setValue(_SMOOTHING_KEY, float(value))

    def write_run_logs(self) -> bool:
        return str(self.store.value("run/write_logs", "false")).lower() in ("true", "1")

    def set_write_run_logs(self, on: bool) -> None:
        self.store.setValue("run/write_logs", bool(on))

    def log_y(self) -> bool:
        return str(self.store.value(_LOG_KEY, "false")).lower() in ("true", "1")

    def set_log_y(self, on: bool) -> None:
        self.store.setValue(_LOG_KEY, bool(on))

    # -- speed -------------------------------------------------------------------------------
    def pace(self) -> float | None:
        """The chosen training speed in iterations per second; None: as fast as possible."""
        try:
            value = float(self.store.value(_PACE_KEY, 0.0) or 0.0)
        except (TypeError, ValueError):
            return None
        return value if 0.0 < value <= MAX_PACE else None

    def set_pace(self, pace: float | None) -> None:
        self.store.setValue(_PACE_KEY, float(pace) if pace else 0.0)

    # -- language ----------------------------------------------------------------------------
    def language(self) -> str:
        """The language chosen in View > Language, or "" when none was (follow the system)."""
        value = str(self.store.value(_LANGUAGE_KEY, "") or "")
        return value if value in LANGUAGES else ""

    def set_language(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        self.store.setValue(_LANGUAGE_KEY, code)

    # -- look ------------------------------------------------------------------------------
    def theme(self) -> str:
        value = str(self.store.value(_THEME_KEY, "system") or "system")
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        self.store.setValue(_THEME_KEY, theme)

    def presentation_mode(self) -> bool:
        return _flag(self.store.value(_PRESENTATION_KEY), False)

    def set_presentation_mode(self, on: bool) -> None:
        self.store.setValue(_PRESENTATION_KEY, bool(on))

    def show_advanced(self) -> bool:
        return _flag(self.store.value(_ADVANCED_KEY), True)

    def set_show_advanced(self, on: bool) -> None:
        self.store.setValue(_ADVANCED_KEY, bool(on))

    # -- recent files ------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.store.value(_RECENT_KEY, [])
        if isinstance(value, str):  # one entry comes back as a plain string from INI files
            value = [value] if value else []
        return [str(v) for v in (value or [])][:MAX_RECENT]

    def add_recent_file(self, path: str | Path) -> list[str]:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self.recent_files() if f != path]
        files = files[:MAX_RECENT]
        self.store.setValue(_RECENT_KEY, files)
        return files

    def clear_recent_files(self) -> None:
        self.store.setValue(_RECENT_KEY, [])

    def sync(self) -> None:
        self.store.sync()
