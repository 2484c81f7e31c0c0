"""The folders the app keeps the user's files in, each movable by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

APP_NAME = "autograd-playground"


def user_dir(
    env_var: str, kind: Literal["log", "data"], environ: dict[str, str] | None = None
) -> Path:
    """Return the folder ``$env_var`` names, else the platform's ``kind`` folder for the app."""
    environ = os.environ if environ is None else environ
    override = environ.get(env_var, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs  # needed only when no folder is named

    platform_dir = platformdirs.user_log_dir if kind == "log" else platformdirs.user_data_dir
    return Path(platform_dir(APP_NAME, appauthor=False))
