"""The offline HTML viewer of a build: ``OUT/site/index.html`` and the files beside it.

:func:`write_site` reads a build's store or a remote SPARQL endpoint
(:mod:`kg.render.data`) and writes the page (:mod:`kg.render.site`): a timeline of
contribution phases (or, with a toggle, of each period fact) and events per mission,
the personnel figures and amounts over time, the network of missions, documents,
events and what they name, and each fact's source sentence.
"""

from __future__ import annotations

from kg.render.site import render_site, write_site

__all__ = ["render_site", "write_site"]
