"""What ``pip install`` puts into site-packages: one package of the project's own name."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*build, "--quiet", "--wheel-dir", str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _source_packages() -> list[str]:
    return sorted(
        str(init.parent.relative_to(ROOT))
        for top in ("core", "gui")
        for init in (ROOT / top).rglob("__init__.py")
    )


def test_everything_installs_under_the_project_name(wheel_names):
    tops = {name.split("/", 1)[0] for name in wheel_names if not name.endswith(".dist-info/")}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"autograd_playground"}


def test_every_source_package_and_asset_is_in_the_wheel(wheel_names):
    for package in _source_packages():
        assert f"autograd_playground/{package}/__init__.py" in wheel_names, package
    for asset in (ROOT / "assets").rglob("*"):
        if asset.is_file() and "__pycache__" not in asset.parts:
            relative = asset.relative_to(ROOT).as_posix()
            assert f"autograd_playground/{relative}" in wheel_names, relative
