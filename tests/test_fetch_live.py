"""The two real services of ``kg fetch``: one known Kamerstuk's record from each.

Skipped unless ``KG_LIVE=1`` and the service's host answers within a few seconds:
``KG_LIVE=1 .venv/bin/pytest tests/test_fetch_live.py -m live -q``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlsplit

import pytest
import requests

from kg.fetch.base import Period
from kg.fetch.odata import DOCUMENT_NUMBER, ODATA_URL, TweedeKamer
from kg.fetch.sru import SRU_URL, OfficieleBekendmakingen

pytestmark = pytest.mark.live

# The artikel 100-brief of September 2014 on the contribution against ISIS.
KAMERSTUK = "kst-27925-506"


def need(url: str) -> None:
    """Skip the test unless live tests are asked for and ``url``'s host answers."""
    if os.environ.get("KG_LIVE") != "1":
        pytest.skip("a live test: set KG_LIVE=1 to read the real services")
    host = urlsplit(url).hostname or ""
    try:
        socket.create_connection((host, 443), timeout=5).close()
    except OSError as err:
        pytest.skip(f"{host} does not answer: {err}")


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.headers["User-Agent"] = "kg-live-test (+https://github.com/kg)"
        yield http


def test_fetch_live_officielebekendmakingen_gives_the_record_of_a_kamerstuk(session):
    need(SRU_URL)
    service = OfficieleBekendmakingen(session)
    [item] = list(service.identifiers([KAMERSTUK], Period()))
    record = item.record
    assert (record.source, record.identifier) == ("officielebekendmakingen", KAMERSTUK)
    assert (record.dossier, record.number) == ("27925", "506")
    assert record.url == f"https://zoek.officielebekendmakingen.nl/{KAMERSTUK}.html"
    assert item.suffix == ".xml" and item.download_url.endswith(f"/{KAMERSTUK}.xml")
    assert item.download_url.startswith("https://repository.overheid.nl/frbr/officielepublicaties/")
    assert record.date and record.date.startswith("2014-09")
    assert record.title and record.doc_type
    period = Period(dt.date(2014, 9, 1), dt.date(2014, 10, 31))
    dossier = list(islice(service.dossier("27925", period), 3))
    assert dossier and all(i.record.dossier == "27925" for i in dossier)
    assert all("2014-09-01" <= (i.record.date or "") <= "2014-10-31" for i in dossier)


def test_fetch_live_tweedekamer_gives_the_document_of_a_kamerstuk(session):
    need(ODATA_URL)
    service = TweedeKamer(session)
    items = list(service.identifiers([KAMERSTUK], Period()))
    assert items
    for item in items:
        record = item.record
        assert record.source == "tweedekamer" and DOCUMENT_NUMBER.match(record.identifier or "")
        assert (record.dossier, record.number) == ("27925", "506")
        assert record.date and record.date.startswith("2014-09")
        assert record.doc_type and record.title
        assert re.fullmatch(
            rf"{re.escape(ODATA_URL)}Document\([0-9a-f-]{{36}}\)/resource", item.download_url
        )
        assert record.url and record.url.startswith(
            "https://www.tweedekamer.nl/kamerstukken/detail?"
        )
