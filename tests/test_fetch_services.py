"""The two services of ``kg fetch`` against the local stand-in (tests/fetchserver.py),
through a plain ``requests.Session``: paging, periods, searches, identifiers, withdrawn
documents, bad answers, and the validators of the files served."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from fetchserver import (
    REPOSITORY,
    FakeDocument,
    FakeServices,
    parse_cql,
    parse_filter,
    seed_documents,
)
from lxml import etree

from kg.fetch.base import Failure, FetchError, Item, Period
from kg.fetch.http import download, polite_session
from kg.fetch.odata import TweedeKamer
from kg.fetch.sru import NS, OfficieleBekendmakingen, parse_response, record_item

DOCUMENTS = seed_documents()


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(DOCUMENTS) as services:
        yield services


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        yield http


def repository(
    fake: FakeServices, session: requests.Session, **options: object
) -> OfficieleBekendmakingen:
    return OfficieleBekendmakingen(session, base_url=fake.sru_url, **options)  # type: ignore[arg-type]


def kamer(fake: FakeServices, session: requests.Session, **options: object) -> TweedeKamer:
    return TweedeKamer(session, base_url=fake.odata_url, **options)  # type: ignore[arg-type]


def in_repository(dossier: str) -> list[FakeDocument]:
    """The documents of a dossier the repository has, by date (ties in listed order)."""
    found = [d for d in DOCUMENTS if d.dossier == dossier and d.in_repository]
    return sorted(found, key=lambda d: d.date)


def at_kamer(dossier: str) -> list[FakeDocument]:
    """The documents of a dossier the Tweede Kamer has and has not withdrawn, by Datum, Id."""
    found = [
        d for d in DOCUMENTS if d.dossier == dossier and d.tk_document_number and not d.deleted
    ]
    return sorted(found, key=lambda d: (d.date, d.tk_id))


def query_of(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


def by_id(identifier: str) -> FakeDocument:
    return next(d for d in DOCUMENTS if d.identifier == identifier)


# ----------------------------------------------------------------------------- dossiers


def test_fetch_services_sru_dossier_reads_every_page_in_the_services_order(fake, session):
    items = list(repository(fake, session, page_size=7).dossier("27925", Period()))
    expected = in_repository("27925")
    assert len(expected) > 7 * 3
    assert [item.identifier for item in items] == [d.identifier for d in expected]
    starts = [query_of(path)["startRecord"][0] for path in fake.paths("/sru")]
    assert starts == ["1", "8", "15", "22"]
    query = query_of(fake.paths("/sru")[0])
    assert query["version"] == ["2.0"] and query["maximumRecords"] == ["7"]
    assert "w.dossiernummer==27925" in query["query"][0]


def test_fetch_services_sru_record_is_filled_from_the_services_metadata(fake, session):
    items = {item.identifier: item for item in repository(fake, session).dossier("27925", Period())}
    letter = by_id("kst-27925-5102")
    item = items[letter.identifier]
    record = item.record
    assert item.suffix == ".xml"
    assert item.download_url == fake.base + fake.file_path(letter, "xml") == record.download_url
    assert record.source == "officielebekendmakingen"
    assert record.url == "https://zoek.officielebekendmakingen.nl/kst-27925-5102.html"
    assert (record.identifier, record.dossier, record.number) == (
        letter.identifier,
        "27925",
        "5102",
    )
    assert (record.date, record.title) == (letter.date.isoformat(), letter.title)
    assert (record.doc_type, record.submitters) == ("Brief", ("E. Bakker",))
    seed = items["kst-27925-5002"].record
    assert seed.submitters == ("A.B. de Vries", "C. Jansen")  # in the record's order
    assert seed.doc_type == by_id("kst-27925-5002").doc_type


@pytest.mark.parametrize("manifestation, suffix", [("html", ".html"), ("pdf", ".pdf")])
def test_fetch_services_sru_gives_the_manifestation_asked_for(fake, session, manifestation, suffix):
    items = repository(fake, session, manifestation=manifestation).dossier("27925", Period())
    item = next(items)
    assert item.suffix == suffix and item.download_url.endswith(suffix)
    assert session.get(item.download_url).status_code == 200


def test_fetch_services_odata_dossier_follows_next_links_and_leaves_out_withdrawn_documents(
    fake, session
):
    items = list(kamer(fake, session, page_size=7).dossier("27925", Period()))
    expected = at_kamer("27925")
    assert [item.identifier for item in items] == [d.tk_document_number for d in expected]
    withdrawn = [d.tk_document_number for d in DOCUMENTS if d.deleted]
    assert withdrawn and not set(withdrawn) & {item.identifier for item in items}
    paths = fake.paths("/OData")
    assert len(paths) == 4
    assert [query_of(p).get("$skip", ["0"])[0] for p in paths] == ["0", "7", "14", "21"]
    assert "Verwijderd eq false" in query_of(paths[0])["$filter"][0]


def test_fetch_services_odata_record_is_filled_from_the_services_metadata(fake, session):
    items = {i.record.number: i for i in kamer(fake, session).dossier("27925", Period())}
    seed = by_id("kst-27925-5002")
    item = items["5002"]
    record = item.record
    assert item.identifier == record.identifier == seed.tk_document_number
    assert item.suffix == ".pdf"
    assert item.download_url == f"{fake.odata_url}Document({seed.tk_id})/resource"
    assert record.url == (
        f"https://www.tweedekamer.nl/kamerstukken/detail?id={seed.tk_document_number}"
        f"&did={seed.tk_document_number}"
    )
    assert (record.source, record.dossier, record.date) == ("tweedekamer", "27925", "2018-09-14")
    assert (record.doc_type, record.title) == (seed.doc_type, seed.title)
    assert record.submitters == ("A.B. de Vries", "C. Jansen")
    assert session.get(item.download_url).content.startswith(b"%PDF")


@pytest.mark.parametrize("written", ["36200-X", "36200 x", "36200-x"])
def test_fetch_services_a_dossier_with_a_suffix_is_asked_for_in_the_services_own_terms(
    fake, session, written
):
    expected = [d for d in DOCUMENTS if d.dossier == "36200-X"]
    sru = list(repository(fake, session).dossier(written, Period()))
    odata = list(kamer(fake, session).dossier(written, Period()))
    assert [i.identifier for i in sru] == [d.identifier for d in expected]
    assert [i.identifier for i in odata] == [d.tk_document_number for d in expected]
    assert {i.record.dossier for i in sru + odata} == {"36200-X"}


def test_fetch_services_a_dossier_number_that_is_not_one_is_refused_before_any_request(
    fake, session
):
    for service in (repository(fake, session), kamer(fake, session)):
        with pytest.raises(FetchError, match="not a dossier number"):
            service.check_dossier("Irak")
        service.check_dossier("36200 v")
        with pytest.raises(FetchError, match="not a dossier number"):
            list(service.dossier("Irak", Period()))
    assert fake.requests == []


# ----------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    "since, until",
    [
        (dt.date(2019, 1, 16), dt.date(2019, 3, 1)),
        (None, dt.date(2019, 1, 25)),
        (dt.date(2019, 6, 1), None),
        (dt.date(2018, 9, 14), dt.date(2018, 9, 14)),  # summer time: Datum is +02:00
        (dt.date(2019, 1, 7), dt.date(2019, 1, 7)),  # winter time: Datum is +01:00
    ],
)
def test_fetch_services_since_and_until_are_asked_of_the_service_and_hold_on_each_item(
    fake, session, since, until
):
    period = Period(since, until)

    def inside(d: FakeDocument) -> bool:
        return (since is None or since <= d.date) and (until is None or d.date <= until)

    sru = list(repository(fake, session, page_size=5).dossier("27925", period))
    odata = list(kamer(fake, session, page_size=5).dossier("27925", period))
    assert [i.identifier for i in sru] == [
        d.identifier for d in in_repository("27925") if inside(d)
    ]
    assert [i.identifier for i in odata] == [
        d.tk_document_number for d in at_kamer("27925") if inside(d)
    ]
    assert sru and odata
    asked = query_of(fake.paths("/sru")[0])["query"][0]
    filtered = query_of(fake.paths("/OData")[0])["$filter"][0]
    if since is not None:
        assert f"dt.date>={since.isoformat()}" in asked and "Datum ge " in filtered
    if until is not None:
        assert f"dt.date<={until.isoformat()}" in asked and "Datum lt " in filtered


@pytest.mark.parametrize("which", ["sru", "odata"])
def test_fetch_services_an_item_outside_the_period_is_left_out_even_when_the_service_sends_it(
    fake, session, which, monkeypatch
):
    """The record of one document states a day outside the period; the service still
    sends it (it selects by the document's own date), and the client's check drops it."""
    period = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    wrong = by_id("kst-27925-5102")
    assert wrong.date.year == 2019
    fake.misreport(wrong.identifier, date="2020-01-01T00:00:00+01:00")
    service = repository(fake, session) if which == "sru" else kamer(fake, session)
    listed = in_repository("27925") if which == "sru" else at_kamer("27925")

    def name(d: FakeDocument) -> str | None:
        return d.identifier if which == "sru" else d.tk_document_number

    got = [i.identifier for i in service.dossier("27925", period)]
    assert got == [name(d) for d in listed if d.date.year == 2019 and d is not wrong]
    # it was sent: without the client's own check it would be listed
    monkeypatch.setattr(f"kg.fetch.{which}.within", lambda date, period: True)
    assert name(wrong) in [i.identifier for i in service.dossier("27925", period)]


@pytest.mark.parametrize("which", ["sru", "odata"])
def test_fetch_services_an_impossible_date_in_a_record_is_no_date(fake, session, which):
    """2018-02-30 is no day: the record has no date, so a period leaves the document
    out, and without one it is listed without a date (no internal error)."""
    document = by_id("kst-27925-5102")
    fake.misreport(document.identifier, date="2018-02-30")
    service = repository(fake, session) if which == "sru" else kamer(fake, session)
    period = Period(dt.date(2010, 1, 1), dt.date(2030, 12, 31))
    named = document.identifier if which == "sru" else document.tk_document_number
    bounded = [i.record.identifier for i in service.dossier("27925", period)]
    assert bounded and named not in bounded
    listed = {i.record.identifier: i.record for i in service.dossier("27925", Period())}
    assert listed[named].date is None


# ----------------------------------------------------------------------------- searches


def test_fetch_services_sru_search_finds_the_documents_with_every_word(fake, session):
    items = list(repository(fake, session, page_size=10).search("Irak militairen", Period()))

    def has_all(d: FakeDocument) -> bool:
        words = set(re.findall(r"\w+", " ".join((d.title, d.dossier_title, *d.paragraphs)).lower()))
        return {"irak", "militairen"} <= words

    expected = sorted(
        (d for d in DOCUMENTS if d.in_repository and has_all(d)), key=lambda d: d.date
    )
    assert 10 < len(expected) < len([d for d in DOCUMENTS if d.in_repository])
    assert [i.identifier for i in items] == [d.identifier for d in expected]
    asked = query_of(fake.paths("/sru")[0])["query"][0]
    assert "cql.textAndIndexes=Irak" in asked and "cql.textAndIndexes=militairen" in asked


def test_fetch_services_odata_search_finds_the_documents_with_every_word_in_title_or_subject(
    fake, session
):
    items = list(kamer(fake, session).search("irak DEEL", Period(since=dt.date(2019, 3, 1))))

    def has_all(d: FakeDocument) -> bool:
        text = f"{d.title} {d.dossier_title}".lower()
        return "irak" in text and "deel" in text and d.date >= dt.date(2019, 3, 1)

    expected = [d for d in DOCUMENTS if d.tk_document_number and not d.deleted and has_all(d)]
    expected.sort(key=lambda d: (d.date, d.tk_id))
    assert expected and [i.identifier for i in items] == [d.tk_document_number for d in expected]


def test_fetch_services_an_empty_search_is_refused(fake, session):
    for service in (repository(fake, session), kamer(fake, session)):
        with pytest.raises(FetchError, match="no words"):
            service.check_search("  ")
        with pytest.raises(FetchError, match="no words"):
            list(service.search("  ", Period()))
    assert fake.requests == []


@pytest.mark.parametrize("word", ["and", "OR", "not", "prox"])
def test_fetch_services_sru_a_search_word_that_is_a_cql_word_is_quoted(fake, session, word):
    """The stand-in, like a CQL parser, reads a bare "and" as the boolean: the term
    must be quoted."""
    list(repository(fake, session).search(f"Irak {word}", Period()))  # no diagnostic
    deadline = time.monotonic() + 5
    while not fake.paths("/sru") and time.monotonic() < deadline:
        time.sleep(0.01)  # the stand-in logs a request just after it has answered it
    asked = query_of(fake.paths("/sru")[0])["query"][0]
    assert f'cql.textAndIndexes="{word}"' in asked


# ----------------------------------------------------------------------------- identifiers


def test_fetch_services_sru_identifiers_come_in_the_order_given(fake, session):
    wanted = ["kst-27925-5102", "kst-36200-X-5104", "kst-27925-5002"]
    items = list(repository(fake, session).identifiers(wanted, Period()))
    assert [i.identifier for i in items] == wanted
    assert items[1].record.dossier == "36200-X" and items[1].record.number == "5104"


@pytest.mark.parametrize("which", ["sru", "odata"])
def test_fetch_services_identifiers_dated_outside_the_period_are_left_out(fake, session, which):
    service = repository(fake, session) if which == "sru" else kamer(fake, session)
    wanted = ["kst-27925-5002", "kst-27925-5102"]  # 2018-09-14, 2019-01-16
    later = list(service.identifiers(wanted, Period(since=dt.date(2019, 1, 1))))
    assert [i.record.number for i in later] == ["5102"]  # the other is not named missing
    assert len(list(service.identifiers(wanted, Period()))) == 2


def test_fetch_services_sru_identifier_it_has_no_record_of_is_named_after_the_others(fake, session):
    unknown = by_id("kst-27925-5107")
    assert not unknown.in_repository
    wanted = [unknown.identifier, "kst-27925-5002"]
    got = list(repository(fake, session).identifiers(wanted, Period()))
    assert [i.identifier for i in got] == ["kst-27925-5002", "kst-27925-5107"]
    assert isinstance(got[0], Item) and isinstance(got[1], Failure)
    assert got[1].reason.startswith(f"{fake.sru_url}: no record of kst-27925-5107")


@pytest.mark.parametrize("identifier", ["27925-946", "kst-27925", "2019D50001", "Kamerstuk 27925"])
def test_fetch_services_sru_identifier_of_another_form_is_refused_with_the_forms_it_takes(
    fake, session, identifier
):
    service = repository(fake, session)
    with pytest.raises(FetchError, match="kst-27925-506") as caught:
        service.check_identifiers(["kst-27925-5002", identifier])
    assert identifier in str(caught.value)
    with pytest.raises(FetchError, match="kst-27925-506"):
        list(service.identifiers(["kst-27925-5002", identifier], Period()))
    assert fake.requests == []


def test_fetch_services_odata_identifiers_take_a_document_number_or_a_kamerstuk(fake, session):
    seed = by_id("kst-27925-5002")
    budget = by_id("kst-36200-X-5104")
    wanted = [seed.tk_document_number, "kst-36200-X-5104"]
    items = list(kamer(fake, session).identifiers(wanted, Period()))
    assert [i.identifier for i in items] == [seed.tk_document_number, budget.tk_document_number]
    filters = [query_of(p)["$filter"][0] for p in fake.paths("/OData")]
    assert f"DocumentNummer eq '{seed.tk_document_number}'" in filters[0]
    assert "d/Toevoeging eq 'X'" in filters[1] and "Volgnummer eq 5104" in filters[1]


def test_fetch_services_odata_withdrawn_or_unknown_document_is_named_after_the_others(
    fake, session
):
    withdrawn = next(d for d in DOCUMENTS if d.deleted)
    wanted = [withdrawn.tk_document_number, "kst-27925-5002", "2019D99999"]
    got = list(kamer(fake, session).identifiers(wanted, Period()))
    assert [i.record.number for i in got if isinstance(i, Item)] == ["5002"]
    failures = [i for i in got if isinstance(i, Failure)]
    assert got[1:] == failures
    assert [f.identifier for f in failures] == [withdrawn.tk_document_number, "2019D99999"]
    assert all(f.reason.startswith(f"{fake.odata_url}: no document ") for f in failures)
    # The stand-in does hold the withdrawn document: the query is what leaves it out.
    everything = session.get(fake.odata_url + "Document").json()["value"]
    assert withdrawn.tk_document_number in {e["DocumentNummer"] for e in everything}


@pytest.mark.parametrize("identifier", ["kst-27925", "blg-123456", "2019-D-50001", "kst-36836-D"])
def test_fetch_services_odata_identifier_of_another_form_is_refused(fake, session, identifier):
    service = kamer(fake, session)
    with pytest.raises(FetchError, match="2018D45001") as caught:
        service.check_identifiers(["2019D50001", identifier])
    assert identifier in str(caught.value)
    with pytest.raises(FetchError, match="2018D45001"):
        list(service.identifiers([identifier], Period()))
    assert fake.requests == []


def test_fetch_services_odata_withdrawn_entities_are_left_out_whatever_the_service_sends(
    fake, session
):
    service = kamer(fake, session)
    entity = fake.document_entity(by_id("kst-27925-5002"), ("DocumentActor",))
    assert service._item(entity, "here", None) is not None
    assert service._item({**entity, "Verwijderd": True}, "here", None) is None
    assert service._item({**entity, "ContentType": None}, "here", None) is None
    actors = [
        {**entity["DocumentActor"][1], "Verwijderd": True},
        {**entity["DocumentActor"][0], "Relatie": "Medeindiener"},
        {**entity["DocumentActor"][1], "Relatie": "Indiener", "ActorNaam": "Z. Eerst"},
    ]
    item = service._item({**entity, "DocumentActor": actors}, "here", None)
    assert item is not None and item.record.submitters == ("Z. Eerst", "A.B. de Vries")


# ----------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize("which", ["sru", "odata"])
def test_fetch_services_an_answer_of_another_format_is_an_error_that_names_the_address(
    fake, session, which
):
    service = repository(fake, session) if which == "sru" else kamer(fake, session)
    fake.malformed("/sru" if which == "sru" else "/OData")
    reason = "not an SRU 2.0 searchRetrieveResponse" if which == "sru" else "not JSON"
    with pytest.raises(FetchError, match=reason) as caught:
        list(service.dossier("27925", Period()))
    assert str(caught.value).startswith(fake.sru_url if which == "sru" else fake.odata_url)


@pytest.mark.parametrize("which", ["sru", "odata"])
def test_fetch_services_a_status_the_session_did_not_get_over_is_an_error_with_status_and_address(
    fake, session, which
):
    service = repository(fake, session) if which == "sru" else kamer(fake, session)
    fake.fail("/sru" if which == "sru" else "/OData", 503)
    with pytest.raises(FetchError, match="answered HTTP 503") as caught:
        list(service.dossier("27925", Period()))
    assert (fake.sru_url if which == "sru" else fake.odata_url) in str(caught.value)


def test_fetch_services_a_failure_on_a_later_page_stops_the_fetch_after_the_pages_before(
    fake, session
):
    items = repository(fake, session, page_size=5).dossier("27925", Period())
    first = [next(items) for _ in range(5)]
    fake.fail("/sru", 500)
    with pytest.raises(FetchError, match="answered HTTP 500"):
        next(items)
    assert len(first) == 5


def test_fetch_services_an_sru_diagnostic_is_an_error_that_names_the_address_and_the_diagnostic(
    fake, session
):
    service = repository(fake, session)
    with pytest.raises(FetchError, match="info:srw/diagnostic/1/16") as caught:
        list(service._items("c.product-area==officielepublicaties and w.kleur==rood", Period()))
    assert str(caught.value).startswith(fake.sru_url)
    diagnostic = (
        b'<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
        b'xmlns:d="http://docs.oasis-open.org/ns/search-ws/diagnostic"><version>2.0</version>'
        b"<diagnostics><d:diagnostic><d:uri>info:srw/diagnostic/1/10</d:uri>"
        b"<d:message>Query syntax error</d:message></d:diagnostic></diagnostics>"
        b"</searchRetrieveResponse>"
    )
    with pytest.raises(FetchError, match=r"^here: .*1/10; Query syntax error"):
        parse_response(diagnostic, "here")


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"Service Unavailable", "not XML"),
        (b"<explainResponse xmlns='http://www.loc.gov/zing/srw/'/>", "not an SRU 2.0"),
        (
            b"<searchRetrieveResponse xmlns='http://docs.oasis-open.org/ns/search-ws/sruResponse'/>",
            "no numberOfRecords",
        ),
    ],
)
def test_fetch_services_an_sru_answer_without_its_required_elements_is_an_error(body, reason):
    with pytest.raises(FetchError, match=reason):
        parse_response(body, "here")


@pytest.mark.parametrize("which", ["sru", "odata"])
@pytest.mark.parametrize("without", ["identifier", "files"])
def test_fetch_services_a_record_kg_cannot_read_fails_alone_and_the_listing_goes_on(
    fake, session, which, without
):
    service = repository(fake, session, page_size=5) if which == "sru" else kamer(fake, session)
    expected = in_repository("27925") if which == "sru" else at_kamer("27925")
    odd = expected[6]  # on the second page of the repository's
    fake.misreport(odd.identifier, without=[without])
    got = list(service.dossier("27925", Period()))
    assert len(got) == len(expected)
    [failure] = [i for i in got if isinstance(i, Failure)]
    assert got.index(failure) == 6
    assert failure.reason.startswith(fake.sru_url if which == "sru" else fake.odata_url)
    assert "report this to the service" in failure.reason
    if without == "identifier":
        assert failure.identifier == ("record 7" if which == "sru" else odd.tk_id)
    else:
        named = odd.identifier if which == "sru" else odd.tk_document_number
        assert failure.identifier == named
    others = [i.identifier for i in got if isinstance(i, Item)]
    names = [d.identifier if which == "sru" else d.tk_document_number for d in expected]
    assert others == names[:6] + names[7:]


def test_fetch_services_an_sru_record_without_an_identifier_is_an_error(fake, session):
    page = session.get(fake.sru_url, params={"query": "dt.identifier==kst-27925-5002"}).content
    root = etree.fromstring(page)
    for element in root.iter("{http://purl.org/dc/terms/}identifier"):
        element.getparent().remove(element)
    record = root.find("sru:records/sru:record", NS)
    with pytest.raises(FetchError, match="dcterms:identifier"):
        record_item(record, "here", "xml")


def test_fetch_services_odata_a_next_link_relative_to_the_page_is_followed(session):
    with FakeServices(DOCUMENTS, relative_links=True) as fake:
        items = list(kamer(fake, session, page_size=7).dossier("27925", Period()))
        assert [i.identifier for i in items] == [d.tk_document_number for d in at_kamer("27925")]
        assert len(fake.paths("/OData")) == 4


# ----------------------------------------------------------------------------- the stand-in


def test_fetch_services_the_stand_in_refuses_queries_it_does_not_know():
    with pytest.raises(ValueError, match="Unsupported index"):
        parse_cql("dc.title==Irak")
    with pytest.raises(ValueError, match="Unsupported relation"):
        parse_cql("cql.textAndIndexes==Irak")
    with pytest.raises(ValueError, match="Unsupported sort"):
        parse_cql("dt.identifier==x sortBy dt.title")
    with pytest.raises(ValueError, match="property named 'Kleur'"):
        parse_filter("Kleur eq 'rood'")
    with pytest.raises(ValueError, match="on type 'Kamerstukdossier'"):
        parse_filter("Kamerstukdossier/any(d:d/Kleur eq 1)")


def test_fetch_services_the_stand_in_answers_an_unknown_odata_option_with_400(fake, session):
    answer = session.get(fake.odata_url + "Document", params={"$search": "Irak"})
    assert answer.status_code == 400 and "not supported" in answer.json()["error"]["message"]


def test_fetch_services_seed_documents_hold_the_seed_texts_and_more_than_a_page():
    seeds = [d for d in DOCUMENTS if d.number.startswith("50")]
    assert len(seeds) == 5 and all(len(d.paragraphs) > 10 for d in seeds)
    assert all("\n\n" not in p for d in seeds for p in d.paragraphs)
    assert len(DOCUMENTS) > 25 and len({d.identifier for d in DOCUMENTS}) == len(DOCUMENTS)


def test_fetch_services_the_xml_carries_its_metadata_block_and_the_html_its_meta(fake, session):
    document = by_id("kst-27925-5002")
    xml = etree.fromstring(session.get(fake.base + fake.file_path(document, "xml")).content)
    assert xml.tag == "officiele-publicatie"
    metas = {m.get("name"): m.get("content") for m in xml.iterfind("metadata/meta")}
    assert metas == {
        "OVERHEIDop.externMetadataRecord": (
            "https://zoek.officielebekendmakingen.nl/kst-27925-5002/metadata.xml"
        )
    }
    assert [al.text for al in xml.iter("al")] == list(document.paragraphs)
    html = etree.HTML(session.get(fake.base + fake.file_path(document, "html")).content)
    names = [m.get("name") for m in html.iterfind("head/meta") if m.get("name")]
    assert {"DC.identifier", "OVERHEIDop.dossiernummer", "OVERHEIDop.ondernummer"} <= set(names)
    assert names.count("OVERHEIDop.indiener") == 2
    metadata = etree.fromstring(
        session.get(fake.base + fake.file_path(document, "metadata")).content
    )
    assert metadata.find("metadata[@name='DCTERMS.issued']").get("content") == "2018-09-14"
    with FakeServices(DOCUMENTS, embedded_metadata=True) as embedded:
        xml = etree.fromstring(
            session.get(embedded.base + embedded.file_path(document, "xml")).content
        )
        assert xml.find("metadata/meta[@name='OVERHEIDop.dossiernummer']").get("content") == "27925"


@pytest.mark.parametrize("which", ["repository", "resource"])
def test_fetch_services_files_have_validators_answered_304_and_change_with_the_text(
    fake, session, which
):
    document = by_id("kst-27925-5101")
    url = (
        fake.base + fake.file_path(document, "xml")
        if which == "repository"
        else f"{fake.odata_url}Document({document.tk_id})/resource"
    )
    first = session.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.status_code == 200 and etag.startswith('"')
    assert email.utils.parsedate_to_datetime(modified).tzinfo is not None
    again = session.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert session.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    part = session.get(url, headers={"Range": "bytes=10-"})
    assert part.status_code == 206 and part.content == first.content[10:]
    assert (
        part.headers["Content-Range"] == f"bytes 10-{len(first.content) - 1}/{len(first.content)}"
    )
    fake.change(document.identifier, ["Een nieuwe alinea over Irak."])
    changed = session.get(url, headers={"If-None-Match": etag, "If-Modified-Since": modified})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.content != first.content
    assert email.utils.parsedate_to_datetime(changed.headers["Last-Modified"]) > (
        email.utils.parsedate_to_datetime(modified)
    )
    log = [(entry.status, entry.sent) for entry in fake.requests]
    assert log == [
        (200, len(first.content)),
        (304, 0),
        (304, 0),
        (206, len(first.content) - 10),
        (200, len(changed.content)),
    ]


def test_fetch_services_a_range_whose_if_range_no_longer_holds_is_answered_with_the_whole_file(
    fake, session
):
    document = by_id("kst-27925-5101")
    url = fake.base + fake.file_path(document, "xml")
    first = session.get(url)
    for validator in (first.headers["ETag"], first.headers["Last-Modified"]):
        part = session.get(url, headers={"Range": "bytes=10-", "If-Range": validator})
        assert part.status_code == 206 and part.content == first.content[10:]
    fake.change(document.identifier, ["Een nieuwe alinea over Irak."])
    for validator in (first.headers["ETag"], first.headers["Last-Modified"]):
        whole = session.get(url, headers={"Range": "bytes=10-", "If-Range": validator})
        assert whole.status_code == 200 and whole.content != first.content
        assert whole.content.startswith(b"<?xml")


def test_fetch_services_a_download_resumed_across_a_changed_file_is_the_new_file_whole(tmp_path):
    """The connection drops after the first 64 KiB; the file changes before the request
    that resumes it (with If-Range): the server sends the new file whole, not the rest
    of the new one after the start of the old."""
    long = dataclasses.replace(
        by_id("kst-27925-5101"),
        paragraphs=tuple(f"Alinea {n}: " + "over de missie in Irak. " * 20 for n in range(400)),
    )
    changed = [f"Nieuwe alinea {n}: " + "over de inzet in Irak. " * 20 for n in range(400)]
    with FakeServices([long]) as fake:
        url = fake.base + fake.file_path(long, "xml")
        fake.drop(
            REPOSITORY, after_bytes=100_000, then=lambda: fake.change(long.identifier, changed)
        )
        dest = tmp_path / "kst-27925-5101.xml"
        got = download(polite_session(rate=100, backoff=0.01), url, dest)
        assert (fake.requests[0].status, fake.requests[0].sent) == (200, 100_000)
        assert fake.requests[1].status == 200
        new = requests.get(url).content
    assert len(new) > 150_000
    assert dest.read_bytes() == new and got.sha256 == hashlib.sha256(new).hexdigest()


def test_fetch_services_faults_are_injected_as_asked(fake, session):
    document = by_id("kst-27925-5101")
    url = fake.base + fake.file_path(document, "xml")
    whole = session.get(url).content
    fake.fail("/frbr", 429, retry_after=3, times=2)
    assert [session.get(url).status_code for _ in range(3)] == [429, 429, 200]
    fake.fail("/frbr", 503)
    assert session.get(url).headers.get("Retry-After") is None
    fake.drop("/frbr", after_bytes=100)
    with pytest.raises(requests.RequestException):
        session.get(url).content  # noqa: B018
    assert fake.requests[-1].sent == 100 and fake.requests[-1].status == 200
    assert session.get(url).content == whole
    fake.malformed("/frbr")
    assert session.get(url).content.startswith(b"<!DOCTYPE html>")
    fake.delay("/frbr", 0.3)
    started = time.monotonic()
    assert session.get(url).status_code == 200 and time.monotonic() - started >= 0.3
