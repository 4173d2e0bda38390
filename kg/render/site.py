"""Write the viewer: ``OUT/site/index.html`` with its scripts and styles beside it.

The page is our own template and scripts (``kg/render/templates``, ``kg/render/assets``)
with the data as JSON in a ``<script type="application/json">`` element. The only
third-party code, vis-network, is copied at build time from the installed pyvis
package, which ships it. Nothing on the page points outside its folder, so it works
from ``file://`` and behind ``kg serve`` alike; its Content-Security-Policy allows
nothing else.
"""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from kg.errors import KgError
from kg.query import Source
from kg.render.data import SiteData, gather, script_safe, to_json
from kg.settings import DEFAULTS
from kg.store import open_store

SITE_DIR = DEFAULTS["site_dir"]  # OUT/site, which kg serve serves at /
# How the page is opened headless by the browser tests and the benchmark: Debian's
# Chromium, with nothing that reaches out of the machine.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)
ASSETS = ("kg-app.js", "kg-charts.js", "kg-network.js", "kg-style.css")
VIS_FILES = ("vis-network.min.js", "vis-network.css")
_VIS_DIR = re.compile(r"^vis-(\d+)\.(\d+)\.(\d+)$")


def site_dir(out: Path) -> Path:
    """The folder of the viewer in the build folder ``out``."""
    return out / SITE_DIR


def vis_network() -> Traversable:
    """The folder of vis-network inside the installed pyvis package (the newest version
    it ships), holding ``vis-network.min.js`` and ``vis-network.css``.

    Raises :class:`KgError` when pyvis is not installed or ships no vis-network.
    """
    try:
        lib = resources.files("pyvis").joinpath("lib")
    except ModuleNotFoundError as err:
        raise KgError(
            "cannot write the viewer: the pyvis package, which ships vis-network, is not "
            "installed; install kg with its dependencies (pip install -e .)"
        ) from err
    found = []
    if lib.is_dir():
        for entry in lib.iterdir():
            match = _VIS_DIR.match(entry.name)
            if match and all(entry.joinpath(name).is_file() for name in VIS_FILES):
                found.append((tuple(int(part) for part in match.groups()), entry))
    if not found:
        raise KgError(
            f"cannot write the viewer: no vis-network ({', '.join(VIS_FILES)}) under {lib}; "
            "reinstall pyvis (pip install --force-reinstall 'pyvis>=0.3.2,<0.4')"
        )
    return max(found, key=lambda pair: pair[0])[1]


def render_page(data: SiteData) -> str:
    """The page's HTML: the template with the data and the version filled in."""
    template = resources.files("kg.render").joinpath("templates", "index.html").read_text("utf-8")
    return Template(template).substitute(data=script_safe(to_json(data)), version=data.version)


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` unless the file already holds exactly it."""
    if path.is_file() and path.read_bytes() == content:
        return
    path.write_bytes(content)


def render_site(data: SiteData, site: Path) -> Path:
    """Write the page for ``data`` into the folder ``site``; returns its index.html.

    The same data gives the same bytes in every file.
    """
    vis = vis_network()  # before writing anything: a missing vis-network stops it all
    site.mkdir(parents=True, exist_ok=True)
    assets = resources.files("kg.render").joinpath("assets")
    for name in ASSETS:
        _write(site / name, assets.joinpath(name).read_bytes())
    for name in VIS_FILES:
        _write(site / name, vis.joinpath(name).read_bytes())
    index = site / "index.html"
    _write(index, render_page(data).encode("utf-8"))
    return index


def write_site(out: Path, source: Source | None = None) -> Path:
    """Write the viewer of the build in ``out`` to ``OUT/site``; returns its index.html.

    With ``source`` (a store or a :class:`kg.remote.Endpoint`) the data is read from
    there instead, and ``out`` needs no build. Raises :class:`StoreError
    <kg.errors.StoreError>` when ``out`` holds no build and no source is given.
    """
    store = open_store(out) if source is None else source
    try:
        data = gather(store)
    finally:
        del store
    return render_site(data, site_dir(out))
