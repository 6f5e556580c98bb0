"""The plugin as any Pelican site gets it: a wheel, installed by pip, `PLUGINS = ["dossier"]`.

The wheel is built from this checkout without network (no build isolation) and
installed with ``--no-deps --no-index`` into a fresh virtualenv that borrows its
dependencies (Pelican, requests…) from the test environment through a path file.
The site is a minimal one in a temporary folder, far from this checkout: Pelican's
default theme, no PLUGIN_PATHS, the sample mirror as its dossier.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from mirror import MirrorServer
from support import EXPECTED, ROOT, START_PATH

PELICANCONF = """
AUTHOR = "test"
SITENAME = "Un site quelconque"
SITEURL = "http://127.0.0.1:9"
PATH = "content"
TIMEZONE = "Europe/Paris"
PLUGINS = ["dossier"]
DOSSIER_START_URL = {start!r}
DOSSIER_ALLOWED_HOSTS = ["127.0.0.1"]
DOSSIER_CACHE_PATH = "cache"
DOSSIER_TAXONOMY = {taxonomy!r}
DOSSIER_PROGRESS = False
DOSSIER_SEARCH = False
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run = subprocess.run(
        [*command, "--no-index", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (found,) = folder.glob("dossier_hub-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the wheel; its python."""
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(pip, capture_output=True, text=True, check=True)
    # The dependencies, borrowed: a path file (not a .pth inside it: this checkout's
    # editable install stays out) after the fresh site-packages.
    (fresh,) = (env / "lib").glob("python3*/site-packages")
    (fresh / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n", "utf-8")
    return python


def test_the_wheel_ships_the_package_its_stages_and_rule_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    package = "pelican/plugins/dossier/"
    assert f"{package}__init__.py" in names
    for stage in ("fetch", "discover", "clean", "themes", "track", "publish"):
        assert f"{package}{stage}/__init__.py" in names
    data = {"clean/rules/default.toml", "clean/rules/cerema.fr.toml", "fetch/errorpages.toml"}
    data |= {"fetch/reasons.toml"}
    assert {package + name for name in data} <= set(names)
    # a namespace package: never Pelican's own files
    assert not [n for n in names if n in ("pelican/__init__.py", "pelican/plugins/__init__.py")]


def test_a_minimal_site_builds_with_the_installed_plugin(installed: Path, tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    (site_dir / "content").mkdir(parents=True)
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(installed), "-c", "import pelican.plugins.dossier as d; print(d.__file__)"],
        cwd=site_dir,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent.parent)
    with MirrorServer() as mirror:
        conf = PELICANCONF.format(
            start=mirror.url(START_PATH), taxonomy=str(ROOT / "content" / "themes.toml")
        )
        (site_dir / "pelicanconf.py").write_text(conf, encoding="utf-8")
        command = [str(installed), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out"]
        run = subprocess.run(
            command, cwd=site_dir, env=clean_env, capture_output=True, text=True, check=False
        )
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((site_dir / "out" / "dossier.json").read_text(encoding="utf-8"))
    published = [a for a in data["articles"] if a["path"]]
    assert len(published) == data["dossier"]["found"] == EXPECTED["announced"]
    for article in published:  # Pelican's default URLs: slug.html
        assert article["path"].endswith(".html")
        assert (site_dir / "out" / article["path"]).is_file(), article["path"]
    assert (site_dir / "out" / "feeds" / "all.atom.xml").is_file()
    assert "Cannot load plugin" not in run.stdout + run.stderr
