"""Text tables that fit a terminal, measured in the columns a terminal gives each
character, with long text cut around the words that matter.

The rule, as ``kg query --format table`` applies it:

- Whitespace in a cell (line breaks too) is one space; a control character is shown as
  its escape (``\\x1b``). Width is counted in terminal columns: two for East Asian wide
  and full-width characters (most emoji among them), none for combining marks and other
  zero-width characters.
- A table that fits the width is printed as it is, one line per row. Otherwise the
  *long text* columns, those with a cell wider than :data:`LONG` columns (quotes,
  titles, descriptions), give way; the others (missions, dates, numbers, names, a
  fact's own words) are never cut.
- When the other columns, and :data:`MIN_LONG` columns for each long one, fit on one
  line, the long columns share what is left. Otherwise each row takes several lines:
  the columns in their order, as many on a line as fit whole, a long text column that
  does not fit whole on a line of its own, the lines after the first indented by two
  spaces, and a rule after the row.
- A long cell wider than its column is cut, with ``…`` on each cut side. Where the row
  holds the words of that cell that matter (a fact's own words in its sentence), the
  part around them is shown, so that the figure is always in view; without them, or
  where they are not in the cell, its start. A cut falls between words unless that
  would leave more than :data:`NEAR` columns (or a third of the column) unused. Only a
  column wider than a whole line (on a very narrow terminal) is wrapped rather than cut.

>>> quote = "Momenteel wordt met zeven adviseurs invulling gegeven aan het mandaat."
>>> print("\\n".join(lay_out(("n", "words", "quote"), [("7", "zeven adviseurs", quote)],
...     width=56, words={2: 1}, numeric={0})))
n  words            quote
-  ---------------  ------------------------------------
7  zeven adviseurs  …met zeven adviseurs invulling…
>>> print("\\n".join(lay_out(("n", "words", "quote"), [("7", "zeven adviseurs", quote)],
...     width=30, words={2: 1}, numeric={0})))
n  words
  quote
------------------------------
7  zeven adviseurs
  …wordt met zeven adviseurs…
------------------------------
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence

GAP = "  "  # between the columns of a line
INDENT = "  "  # before the second and later lines of a row
ELLIPSIS = "…"
LONG = 30  # a column with a cell wider than this many terminal columns is long text
MIN_LONG = 30  # the fewest columns a long text column is given beside others on a line
MIN_WIDTH = 20  # the narrowest table laid out: a narrower width is taken as this
NEAR = 12  # a cut falls between words unless that leaves more than this many columns unused


def clean(text: str) -> str:
    r"""A cell as one line: runs of whitespace as one space, control characters as escapes.

    >>> clean("maximaal 50\n  militairen\x1b[2J")
    'maximaal 50 militairen\\x1b[2J'
    """
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else ch for ch in folded)


def char_width(ch: str) -> int:
    """The terminal columns a character takes: 2 for East Asian wide and full-width
    characters, 0 for combining marks and format characters (zero-width joiner,
    variation selectors), 1 for the others.

    >>> [char_width(c) for c in ("a", "漢", "😀", "\\u0301", "\\u200d", "\\ufe0f")]
    [1, 2, 2, 0, 0, 0]
    """
    if ch == "\u00ad":  # a soft hyphen, which terminals show
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or "\u1160" <= ch <= "\u11ff":
        return 0  # U+1160-U+11FF: Hangul vowels and finals, joined to the syllable before
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """The terminal columns a line of text takes.

    >>> text_width("Erbil"), text_width("北京"), text_width("Bagdad\\u0301")
    (5, 4, 6)
    """
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def _clusters(text: str) -> list[str]:
    """The text as characters, each with the zero-width ones that follow it (combining
    marks, joiners), so that a cut never parts a letter from its accent."""
    if text.isascii():
        return list(text)
    parts: list[str] = []
    for ch in text:
        if parts and char_width(ch) == 0:
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


def window(text: str, words: str, size: int) -> str:
    """``text`` in at most ``size`` columns: whole when it fits; else the part around the
    first place of ``words`` in it (its start where ``words`` is empty or not in it),
    with ``…`` where it is cut, at a space where one is near.

    >>> quote = "Nederland levert met circa tweehonderd militairen een bijdrage aan de coalitie."
    >>> window(quote, "tweehonderd militairen", 40)
    '…met circa tweehonderd militairen een…'
    >>> window(quote, "de coalitie.", 30)
    '…een bijdrage aan de coalitie.'
    >>> window(quote, "", 30)
    'Nederland levert met circa…'
    """
    parts = _clusters(text)
    ends = [0]
    for part in parts:
        ends.append(ends[-1] + text_width(part))
    n = len(parts)
    if ends[n] <= size:
        return text
    first, last = _place(parts, clean(words), text)

    def cost(a: int, b: int) -> int:
        return ends[b] - ends[a] + (a > 0) + (b < n)

    a, b = first, last
    if cost(a, b) > size:  # the words alone are too wide: as much of them as fits
        b = a
        while b < n and cost(a, b + 1) <= size:
            b += 1
        return _shown(parts, a, b)

    def before(a: int) -> int:  # the start of the word before ``a``, with its space
        j = a - 1 if a > 0 and parts[a - 1] == " " else a
        while j > 0 and parts[j - 1] != " ":
            j -= 1
        return j

    def after(b: int) -> int:  # the end of the word after ``b``, with its space
        j = b + 1 if b < n and parts[b] == " " else b
        while j < n and parts[j] != " ":
            j += 1
        return j

    grew = True
    while grew:  # a word on each side in turn while they fit
        grew = False
        if a > 0 and cost(before(a), b) <= size:
            a, grew = before(a), True
        if b < n and cost(a, after(b)) <= size:
            b, grew = after(b), True
    grew = size - cost(a, b) > min(NEAR, size // 3)  # a long word next: part of it
    while grew:
        grew = False
        if a > 0 and cost(a - 1, b) <= size:
            a, grew = a - 1, True
        if b < n and cost(a, b + 1) <= size:
            b, grew = b + 1, True
    while a < first and parts[a] == " ":
        a += 1
    while b > last and parts[b - 1] == " ":
        b -= 1
    return _shown(parts, a, b)


def _place(parts: Sequence[str], words: str, text: str) -> tuple[int, int]:
    """The clusters ``parts[first:last]`` that hold the first place of ``words`` in
    ``text``; (0, 0) where the words are empty or not there."""
    at = text.find(words) if words else -1
    if at < 0:
        return 0, 0
    first = last = 0
    offset = 0
    for i, part in enumerate(parts):
        if offset <= at:
            first = i
        if offset < at + len(words):
            last = i + 1
        offset += len(part)
    return first, last


def _shown(parts: Sequence[str], a: int, b: int) -> str:
    return (ELLIPSIS if a > 0 else "") + "".join(parts[a:b]) + (ELLIPSIS if b < len(parts) else "")


def wrap(text: str, size: int) -> list[str]:
    """``text`` in lines of at most ``size`` columns, broken at spaces, and inside a word
    only where the word is wider than a line.

    >>> wrap("force-protection-erbil 2019", 10)
    ['force-prot', 'ection-erb', 'il 2019']
    """
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        cells = text_width(word)
        if line and used + 1 + cells <= size:
            line, used = f"{line} {word}", used + 1 + cells
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        for part in _clusters(word):
            cells = text_width(part)
            if line and used + cells > size:
                lines.append(line)
                line, used = "", 0
            line, used = line + part, used + cells
    lines.append(line)
    return lines


def _pad(text: str, size: int, right: bool) -> str:
    fill = " " * max(size - text_width(text), 0)
    return fill + text if right else text + fill


def _bands(
    natural: Sequence[int], long: Collection[int], size: int
) -> tuple[list[list[int]], list[int]]:
    """Which columns go on which line of a row, and each column's width."""
    count = len(natural)
    gaps = len(GAP) * (count - 1)
    if sum(natural) + gaps <= size:
        return [list(range(count))], list(natural)
    short = sum(natural[i] for i in range(count) if i not in long)
    spare = size - short - gaps
    if spare >= sum(min(natural[i], MIN_LONG) for i in long):
        widths = list(natural)
        waiting = sorted(long, key=lambda i: (natural[i], i))
        while waiting:  # the narrowest long column first: what it does not need goes on
            share = spare // len(waiting)
            if natural[waiting[0]] <= share:
                spare -= natural[waiting[0]]
                waiting.pop(0)
                continue
            for k, i in enumerate(sorted(waiting)):
                widths[i] = share + (1 if k < spare % len(waiting) else 0)
            break
        return [list(range(count))], widths
    bands: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i in range(count):
        room = size - (len(INDENT) if bands else 0)
        need = natural[i] + (len(GAP) if current else 0)
        if i in long and used + need > room:  # cut: on a line of its own, as wide as it
            bands += [current, [i]] if current else [[i]]
            current, used = [], 0
            continue
        if current and used + need > room:
            bands.append(current)
            current, used, need = [], 0, natural[i]
        current.append(i)
        used += need
    if current:
        bands.append(current)
    widths = list(natural)
    for k, band in enumerate(bands):
        for i in band:
            widths[i] = min(natural[i], size - (len(INDENT) if k else 0))
    return bands, widths


def lay_out(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None,
    words: Mapping[int, int] | None = None,
    numeric: Collection[int] = (),
    wrap_long: bool = False,
) -> list[str]:
    """The lines of a text table: the header, a rule, and the rows.

    ``width`` is the terminal's, taken as at least :data:`MIN_WIDTH`; with None every
    cell is whole and each row one line, as long as it needs. ``words`` maps a long text
    column to the column whose cell, in each row, holds the words to show of it (a
    quote's figure). ``numeric`` columns are aligned right. With ``wrap_long`` a long
    text cell is wrapped over as many lines as it needs instead of cut. A row of several
    lines is followed by a rule.
    """
    if not columns:
        return []
    words = words or {}
    heads = [clean(name) for name in columns]
    cells = [[clean(cell) for cell in row] for row in rows]
    natural = [
        max([text_width(head)] + [text_width(row[i]) for row in cells])
        for i, head in enumerate(heads)
    ]
    long: set[int] = set()
    if width is None:
        bands, widths = [list(range(len(heads)))], natural
    else:
        long = {i for i, cells_wide in enumerate(natural) if cells_wide > LONG}
        long -= set(words.values())  # a fact's own words are never cut
        bands, widths = _bands(natural, long, max(width, MIN_WIDTH))

    def lines(row: list[str], header: bool) -> list[str]:
        out = []
        for k, band in enumerate(bands):
            blocks = []
            for i in band:
                cell, size = row[i], widths[i]
                if text_width(cell) <= size:
                    blocks.append([cell])
                elif i in long and not header and not wrap_long:
                    blocks.append([window(cell, row[words[i]] if i in words else "", size)])
                else:
                    blocks.append(wrap(cell, size))
            for n in range(max(len(block) for block in blocks)):
                parts = (
                    _pad(block[n] if n < len(block) else "", widths[i], i in numeric)
                    for block, i in zip(blocks, band, strict=True)
                )
                out.append(((INDENT if k else "") + GAP.join(parts)).rstrip())
        return out

    extent = max(
        (len(INDENT) if k else 0) + sum(widths[i] for i in band) + len(GAP) * (len(band) - 1)
        for k, band in enumerate(bands)
    )
    head = lines(heads, header=True)
    body = [lines(row, header=False) for row in cells]
    if len(head) == 1 and all(len(row) == 1 for row in body):
        rule = GAP.join("-" * widths[i] for i in bands[0])
        return [head[0], rule] + [row[0] for row in body]
    rule = "-" * extent
    out = [*head, rule]
    for row in body:
        out += [*row, rule]
    return out
