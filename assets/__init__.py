"""Icons, lessons and styles shipped with Autograd Playground."""

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent


def asset_path(*parts: str) -> Path:
    """Return the path of a file under assets/."""
    return ASSETS_DIR.joinpath(*parts)
