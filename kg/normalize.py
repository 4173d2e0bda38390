"""Pure text clean-up with an offset map back to the original.

Text that comes out of PDFs carries the marks of the page: words hyphenated
across line breaks, lone page numbers, running headers, footnote bodies in the
middle of a paragraph, blocks repeated at the end of a file. :func:`normalize`
turns such text into paragraphs of running text, footnotes kept apart at the
end, and sentences, while keeping for every character of the result the offset
of the original character it came from.

The one invariant: ``norm.text[i]`` equals ``source.text[norm.offsets[i]]``,
or both are white space. Nothing is invented, so every quote is found verbatim
in the original once white space is folded.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.lang.nl.stop_words import STOP_WORDS

from kg.model import Block, BlockKind, NormDoc, Removal, SourceDoc
from kg.segment import sentences

TERMINAL = ".!?:;"
CLOSERS = "\"'”’»)]"
# At most three digits: a lone "2019" is a year cut off from its sentence, not a page.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–]\s*)?(?:(?:pagina|blz\.?|page)\s+)?\d{1,3}(?:\s*[-–])?\s*$", re.I
)
# The page footer of a Kamerstuk: "Tweede Kamer, vergaderjaar 2022–2023, 27 925,
# nr. 919 3" (Eerste Kamer papers carry a letter, "27 925, U 10"). Its tail holds
# no full stop but that of "nr.", so a running sentence is not taken for it.
RUNNING_HEADER = re.compile(
    r"^\s*(?:(?:Eerste|Tweede)\s+Kamer,?\s+(?:der\s+Staten-Generaal,?\s+)?vergaderjaar\s+\d{4}\s*[–-]\s*\d{4},"
    r"(?:[^.]|\bnrs?\.){0,60}"
    r"|Kamerstukken\s+I{1,2},?\s+\d{4}\s*[/–-]\s*\d{2,4},[^.]{0,60})$"
)
BULLET = re.compile(r"^\s*[•▪●◦]\s*\S")
ITEM_START = re.compile(r"^\s*(?:\d{1,3}[.)]?\s+\S|[•▪●◦·*]\s*\S|[-–]\s+\S|\(?[a-z]\)\s+\S)")
NUMBERED = re.compile(r"^\(?\d{1,2}[.)]\s+[^\W\d_]")  # "1. Draagvlak", not "150 militairen"
FOOTNOTE_START = re.compile(r"^\s?(\d{1,3})\s+(\S)")
WORD_AT_END = re.compile(r"([\w'’]+)\W*$")
VOWEL_CLASH = {
    "aa",
    "ae",
    "ai",
    "au",
    "ee",
    "ei",
    "eu",
    "ie",
    "ii",
    "oe",
    "oi",
    "oo",
    "ou",
    "ui",
    "uu",
    "ij",
}
MIN_REPEAT_CHARS = 60
MAX_FOOTNOTE_LINES = 14


@dataclass(slots=True)
class _Line:
    start: int  # original offset of the first non-blank character
    end: int  # original offset just past the last non-blank character
    raw_start: int  # original offset of the line
    text: str  # the stripped content
    leading: str  # the white space before the content
    page_start: bool = False  # after a form feed, or first line of a page by its indentation
    kind: str = "text"  # text, blank, page-number, running-header, footnote


@dataclass(slots=True)
class _Footnote:
    number: int
    lines: list[int]
    marker: tuple[int, int] | None


SPACE_OR_TEXT = re.compile(r"(\s+)|\S+")  # \s is str.isspace in Python's re


@dataclass(slots=True)
class _Builder:
    """Accumulates normalized characters and their original offsets."""

    source: str
    chars: list[str] = field(default_factory=list)
    offsets: array[int] = field(default_factory=lambda: array("q"))

    def add(self, start: int, end: int, drop: Sequence[int] = ()) -> None:
        """Copy original[start:end] but the positions in ``drop`` (sorted), folding runs
        of white space into one space."""
        prev_space = bool(self.chars) and self.chars[-1] == " "
        at = start
        for cut in drop[bisect_left(drop, start) : bisect_left(drop, end)]:
            prev_space = self._copy(at, cut, prev_space)
            at = cut + 1
        self._copy(at, end, prev_space)

    def _copy(self, start: int, end: int, prev_space: bool) -> bool:
        """Copy original[start:end] run by run: a stretch of text whole, white space as
        one space (none after a space); whether it ends in a space."""
        for run in SPACE_OR_TEXT.finditer(self.source, start, end):
            if run.group(1) is None:
                self.chars.extend(run.group(0))
                self.offsets.extend(range(run.start(), run.end()))
                prev_space = False
            elif not prev_space:
                self.chars.append(" ")
                self.offsets.append(run.start())
                prev_space = True
        return prev_space

    def sep(self, text: str, at: int) -> None:
        """Add white space standing for the original white space at ``at``."""
        for char in text:
            self.chars.append(char)
            self.offsets.append(at)

    def trim_space(self) -> None:
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.offsets.pop()

    def __len__(self) -> int:
        return len(self.chars)


def split_lines(text: str) -> list[_Line]:
    """Split text into lines, noting blank lines and page starts."""
    lines: list[_Line] = []
    pos = 0
    page_break = True
    for match in re.finditer(r"[^\n\f]*(?:\n|\f|$)", text):
        if match.start() == len(text) and match.end() == len(text) and lines:
            break
        body = match.group(0).rstrip("\n\f")
        raw_start = match.start()
        stripped = body.strip()
        lead_len = len(body) - len(body.lstrip())
        start = raw_start + lead_len
        end = start + len(stripped)
        leading = body[:lead_len]
        line = _Line(start, end, raw_start, stripped, leading)
        if not stripped:
            line.kind = "blank"
        else:
            # A page break: a form feed, or (in text copied out of PDFs) a first line
            # indented by exactly one space while the running text is not indented.
            line.page_start = page_break or leading == " "
            page_break = False
        if match.group(0).endswith("\f"):
            page_break = True
        lines.append(line)
        pos = match.end()
        if pos >= len(text):
            break
    return lines


def _mark_removals(lines: list[_Line]) -> None:
    """Mark lone page numbers and running headers."""
    for line in lines:
        if line.kind != "text":
            continue
        if PAGE_NUMBER.match(line.text):
            line.kind = "page-number"
        elif RUNNING_HEADER.match(line.text):
            line.kind = "running-header"
            line.page_start = True


@lru_cache(maxsize=1024)
def _marker_pattern(number: int) -> re.Pattern[str]:
    # A footnote reference glued to a word or punctuation ("Irak1", "Kamer2,",
    # "gebieden.5"), or glued to a year ("in 20191" is 2019 with note 1).
    n = str(number)
    return re.compile(
        rf"(?:(?<=[^\W\d_])|(?<=[^\d\s][.,;:)»”’]))({n})(?![\w,.]\w)(?!\d)"
        rf"|(?<![\d,.])(?:19|20)\d\d({n})(?!\d)"
    )


class _Markers:
    """The last reference to a footnote number between two offsets of the text. The
    text after a start is scanned once per number, however many numbered lines ask
    (a list of questions numbers every line: each used to scan the text anew)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scanned: dict[tuple[int, int], tuple[int, tuple[int, int] | None]] = {}

    def last(self, number: int, start: int, end: int) -> tuple[int, int] | None:
        scanned, marker = self.scanned.get((number, start), (start, None))
        if end < scanned:
            scanned, marker = start, None
        # markers hold no white space and ``end`` starts a line: none runs across it
        for found in _marker_pattern(number).finditer(self.text, scanned, end):
            group = 1 if found.group(1) else 2
            marker = (found.start(group), found.end(group))
        self.scanned[(number, start)] = (end, marker)
        return marker


def _find_footnotes(text: str, lines: list[_Line]) -> list[_Footnote]:
    """Find footnote bodies: numbered lines, in sequence, referenced in the text,
    that run to the end of their page."""
    notes: list[_Footnote] = []
    expected = 1
    search_from = 0
    markers = _Markers(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        match = FOOTNOTE_START.match(line.text) if line.kind == "text" else None
        if match is None:
            i += 1
            continue
        number = int(match.group(1))
        if not expected <= number <= expected + 2:
            i += 1
            continue
        marker = markers.last(number, search_from, line.start)
        block = _footnote_block(lines, i, number) if marker is not None else None
        if block is None:
            i += 1
            continue
        # The block may hold several notes in sequence.
        current = _Footnote(number, [], marker)
        for j in block:
            sub = FOOTNOTE_START.match(lines[j].text)
            if sub and j != block[0] and int(sub.group(1)) == current.number + 1:
                notes.append(current)
                num = int(sub.group(1))
                current = _Footnote(num, [], markers.last(num, search_from, line.start))
            current.lines.append(j)
            lines[j].kind = "footnote"
        notes.append(current)
        expected = current.number + 1
        search_from = lines[block[-1]].end
        i = block[-1] + 1
    return notes


def _footnote_block(lines: list[_Line], first: int, number: int) -> list[int] | None:
    """The text lines from ``first`` up to the next page start, or None when the
    run is too long to be footnotes or holds something else."""
    block = [first]
    expected = number + 1
    for j in range(first + 1, len(lines)):
        line = lines[j]
        if line.kind == "blank":
            continue
        if line.page_start or line.kind in ("page-number", "running-header"):
            return block
        if line.kind != "text":
            return None
        sub = FOOTNOTE_START.match(line.text)
        if sub and int(sub.group(1)) == expected:
            expected += 1
        block.append(j)
        if len(block) > MAX_FOOTNOTE_LINES:
            return None
    return block  # the end of the file ends the page


def _last_word(text: str) -> str:
    match = WORD_AT_END.search(text)
    return match.group(1) if match else ""


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL


def _continues(prev: _Line, line: _Line, gap: bool) -> bool:
    """Whether ``line`` continues the paragraph that ``prev`` is in."""
    first = line.text[0]
    if line.leading.startswith("\t") or line.leading.endswith("\t") or BULLET.match(line.text):
        return False
    if not gap:
        return not (_ends_sentence(prev.text) and ITEM_START.match(line.text))
    if _ends_sentence(prev.text):
        return False
    if first.islower() or prev.text.endswith("-"):
        return True
    # A line that ends on a function word ("in de") cannot end a paragraph.
    return _last_word(prev.text).lower() in STOP_WORDS


def _is_label(line: _Line, prev: _Line | None, nxt: _Line | None) -> bool:
    """A short stand-alone line such as "Antwoord" between sentences."""
    words = line.text.split()
    return (
        len(words) <= 3
        and not _ends_sentence(line.text)
        and not line.text.endswith((",", "-"))
        and line.text[0].isupper()
        and (prev is None or _ends_sentence(prev.text))
        and nxt is not None
        and nxt.text[:1].isupper()
    )


def _paragraph_gap(lines: list[_Line]) -> int:
    """How many blank lines separate paragraphs: 1, or 2 in text that has a blank
    line after every line (as some PDF converters write it), recognised by
    single blank lines that mostly fall inside a sentence."""
    inside = single = 0
    blanks = 0
    prev: _Line | None = None
    for line in lines:
        if line.kind == "blank":
            blanks += 1
        elif line.kind == "text":
            if prev is not None and blanks == 1:
                single += 1
                inside += not _ends_sentence(prev.text) and line.text[0].islower()
            prev, blanks = line, 0
    return 2 if single >= 4 and inside > single / 2 else 1


def _paragraphs(lines: list[_Line]) -> list[list[int]]:
    """Group the text lines into paragraphs (lists of line indices)."""
    paragraphs: list[list[int]] = []
    text_lines = [i for i, line in enumerate(lines) if line.kind == "text"]
    threshold = _paragraph_gap(lines)
    lengths = sorted(len(lines[i].text) for i in text_lines)
    short = 0.6 * lengths[len(lengths) // 2] if lengths else 0
    prev_index: int | None = None
    split_after = False
    for pos, i in enumerate(text_lines):
        line = lines[i]
        nxt = lines[text_lines[pos + 1]] if pos + 1 < len(text_lines) else None
        if prev_index is None:
            paragraphs.append([i])
            prev_index = i
            continue
        prev = lines[prev_index]
        between = lines[prev_index + 1 : i]
        label = not between and _is_label(line, prev, nxt)
        # A short first line that does not end a sentence, followed by a capital
        # or a numbered item: a heading ("Essentie"), even where no blank line
        # sets it apart.
        heading = (
            len(paragraphs[-1]) == 1
            and len(prev.text) < short
            and not _ends_sentence(prev.text)
            and not prev.text.endswith((",", "-"))
            and _last_word(prev.text).lower() not in STOP_WORDS
            and (line.text[0].isupper() or bool(NUMBERED.match(line.text)))
        )
        blanks = sum(1 for other in between if other.kind == "blank")
        page_break = line.page_start or any(other.kind != "blank" for other in between)
        # A page break inside a sentence continues the paragraph; after a full
        # sentence it is taken as a paragraph break.
        gap = blanks >= threshold or (page_break and _ends_sentence(prev.text))
        # Blank lines that only frame a page number or running header do not end
        # a sentence cut off by the page ("De huidige" / "3" / "Iraakse regering").
        furniture = any(other.kind in ("page-number", "running-header") for other in between)
        if furniture and not _ends_sentence(prev.text) and line.text[0].isalpha():
            gap = False
        if split_after or label or heading or not _continues(prev, line, gap):
            paragraphs.append([i])
        else:
            paragraphs[-1].append(i)
        split_after = label
        prev_index = i
    return paragraphs


def _hyphen_join(before: str, after: str, doc_words: frozenset[str]) -> str:
    """How to join a word broken over two lines: "" (drop the hyphen), "-" (keep
    it) or "- " (keep it and the space, before a conjunction).

    ``before`` is the text up to the hyphen's line end (hyphen excluded), ``after``
    the next line. ``doc_words`` are the words of the whole document, the
    evidence of how the document itself writes the word.
    """
    head = re.search(r"([^\W_]+)$", before)
    tail = re.match(r"([^\W_]+)", after)
    if head is None or tail is None:
        return "-"
    left, right = head.group(1), tail.group(1)
    if right in ("en", "of", "tot"):  # "stabilisatie- en ontwikkelingsgelden"
        return "- "
    if (left + right).lower() in doc_words:
        return ""
    if f"{left}-{right}".lower() in doc_words:
        return "-"
    if any(char.isdigit() for char in left):
        return "-"
    if right[0].isupper():
        both_caps = left.isupper() and right.isupper() and len(left) >= 6
        return "" if both_caps else "-"
    if left.isupper():  # NAVO-missie, ISIS-strijders
        return "-"
    if (left[-1] + right[0]).lower() in VOWEL_CLASH:  # de-escaleren
        return "-"
    return ""


def _document_words(text: str) -> frozenset[str]:
    return frozenset(
        word.lower() for word in re.findall(r"[^\W_]+(?:-[^\W_]+)*(?=[\s.,;:!?)»”’]|$)", text)
    )


def normalize(source: SourceDoc) -> NormDoc:
    """Clean a document's text and segment it, keeping a map to the original.

    >>> from kg.ingest import parse_bytes
    >>> raw = "De geïnte-\\ngreerde NAVO-\\nmissie start.\\n\\n3\\n\\nDit is zo."
    >>> norm = normalize(parse_bytes(raw.encode(), "text/plain", "x.txt"))
    >>> norm.text
    'De geïntegreerde NAVO-missie start.\\n\\nDit is zo.'
    >>> [norm.text[s:e] for s, e in norm.sentences]
    ['De geïntegreerde NAVO-missie start.', 'Dit is zo.']
    """
    text = source.text
    lines = split_lines(text)
    _mark_removals(lines)
    notes = _find_footnotes(text, lines)
    drop = sorted({pos for note in notes if note.marker is not None for pos in range(*note.marker)})
    doc_words = _document_words(text)
    builder = _Builder(text)
    raw_blocks: list[tuple[int, int, int]] = []  # (start, end, line count) in normalized text

    for para in _paragraphs(lines):
        start = _add_block(builder, lines, para, drop, doc_words)
        raw_blocks.append((start, len(builder), len(para)))

    blocks = [_classify(builder, start, end, count) for start, end, count in raw_blocks]
    blocks = _mark_repeats(builder, blocks)

    for note in notes:
        start = _add_block(builder, lines, note.lines, (), doc_words)
        blocks.append(Block(BlockKind.FOOTNOTE, start, len(builder), note.number))

    norm_text = "".join(builder.chars)
    builder.offsets.append(len(text))
    sents = tuple(
        span
        for block in blocks
        if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)
        for span in sentences(norm_text, block.start, block.end)
    )
    removals = tuple(
        Removal(line.kind, line.start, line.end)
        for line in lines
        if line.kind in ("page-number", "running-header")
    ) + tuple(Removal("footnote-marker", *note.marker) for note in notes if note.marker)
    return NormDoc(source, norm_text, builder.offsets, tuple(blocks), sents, removals)


def _add_block(
    builder: _Builder,
    lines: list[_Line],
    indices: list[int],
    drop: Sequence[int],
    doc_words: frozenset[str],
) -> int:
    """Append the lines ``indices`` as one block; return the block's start."""
    first = lines[indices[0]]
    if builder.chars:
        builder.trim_space()
        builder.sep("\n\n", first.raw_start - 1 if first.raw_start else 0)
    start = len(builder)
    for n, i in enumerate(indices):
        line = lines[i]
        if n:
            prev = lines[indices[n - 1]]
            builder.trim_space()
            if prev.text.endswith("-") and line.text[0].isalnum():
                builder.chars.pop()  # the hyphen, put back below where it is real
                builder.offsets.pop()
                join = _hyphen_join(prev.text[:-1], line.text, doc_words)
                if join:
                    builder.chars.append("-")
                    builder.offsets.append(prev.end - 1)
                if join == "- ":
                    builder.sep(" ", prev.end)
            else:
                builder.sep(" ", prev.end)
        builder.add(line.start, line.end, drop)
    builder.trim_space()
    return start


def _classify(builder: _Builder, start: int, end: int, line_count: int) -> Block:
    text = "".join(builder.chars[start:end])
    words = text.split()
    is_heading = (
        line_count == 1
        and 0 < len(words) <= 12
        and words[0][:1].isupper()
        and not _ends_sentence(text)
        and not text.endswith((",", "-"))
    )
    return Block(BlockKind.HEADING if is_heading else BlockKind.PARAGRAPH, start, end)


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    # Compare letters only: line breaks, hyphens and footnote markers differ
    # between a block and its repeat.
    return re.sub(r"[\W\d_]+", "", text.lower())


def _mark_repeats(builder: _Builder, blocks: list[Block]) -> list[Block]:
    """Mark paragraphs whose text stands earlier in the document as repeats."""
    seen = ""
    repeat = [False] * len(blocks)
    for n, block in enumerate(blocks):
        key = _key("".join(builder.chars[block.start : block.end]))
        if block.kind == BlockKind.PARAGRAPH and len(key) >= MIN_REPEAT_CHARS and key in seen:
            repeat[n] = True
        seen += key
    # short blocks ("Antwoord") between two repeats belong to the repeated run
    for n in range(1, len(blocks) - 1):
        if not repeat[n] and repeat[n - 1]:
            following = next(
                (m for m in range(n + 1, len(blocks)) if repeat[m] or _long(builder, blocks[m])),
                None,
            )
            if following is not None and repeat[following] and not _long(builder, blocks[n]):
                repeat[n] = True
    return [
        Block(BlockKind.REPEAT, block.start, block.end) if repeat[n] else block
        for n, block in enumerate(blocks)
    ]


def _long(builder: _Builder, block: Block) -> bool:
    return len(_key("".join(builder.chars[block.start : block.end]))) >= MIN_REPEAT_CHARS


def text_parts(norm: NormDoc, size: int) -> list[tuple[int, int]]:
    """The running text cut into parts of whole blocks, the blocks of each at most
    ``size`` characters where they allow (a longer block is a part of its own), as
    normalized (start, end). A part ends where the next begins, the blank line
    between them included; the last ends where the footnotes begin.

    >>> from kg.ingest import parse_bytes
    >>> raw = "Eerste alinea.\\n\\nTweede alinea.\\n\\nDerde alinea."
    >>> norm = normalize(parse_bytes(raw.encode(), "text/plain", "x.txt"))
    >>> [norm.text[s:e] for s, e in text_parts(norm, 32)]
    ['Eerste alinea.\\n\\nTweede alinea.\\n\\n', 'Derde alinea.']
    """
    bounds: list[tuple[int, int]] = []
    begin = 0
    for block in norm.blocks:
        if block.start >= norm.running_end:
            break  # the footnotes: never read for facts
        if block.start > begin and block.end - begin > size:
            bounds.append((begin, block.start))
            begin = block.start
    bounds.append((begin, norm.running_end))
    return bounds


def part_of(norm: NormDoc, start: int, end: int) -> NormDoc:
    """The text from ``start`` to ``end`` (whole blocks of the running text, as
    :func:`text_parts` gives them) as a document of its own: its normalized offsets
    count from ``start``, its offsets into the original are the document's.

    >>> from kg.ingest import parse_bytes
    >>> norm = normalize(parse_bytes(b"Een.\\n\\nTwee drie.", "text/plain", "x.txt"))
    >>> part = part_of(norm, 6, len(norm.text))
    >>> part.text, part.sentences, part.span(0, 4).start
    ('Twee drie.', ((0, 10),), 6)
    """
    if start == 0 and end == len(norm.text):
        return norm
    first = bisect_left(norm.blocks, start, key=lambda b: b.start)
    last = bisect_left(norm.blocks, end, key=lambda b: b.start)
    blocks = tuple(
        replace(b, start=b.start - start, end=b.end - start) for b in norm.blocks[first:last]
    )
    low, high = bisect_left(norm.sentences, (start,)), bisect_left(norm.sentences, (end,))
    sentences = tuple((s - start, e - start) for s, e in norm.sentences[low:high])
    return NormDoc(
        norm.source,
        norm.text[start:end],
        norm.offsets[start : end + 1],
        blocks,
        sentences,
        norm.removals,
    )
