"""No figure of the data is typed by hand in a notebook's prose.

A notebook's markdown says how its method works and what its charts show; what the data
shows is written by a code cell from the frames of the build it reads (an
``IPython.display.Markdown`` of them), so that it reads right for any build and cannot go
stale when the corpus or the rules change. The rule, for every markdown cell of every
notebook, after its whitespace is made single spaces (a phrase may wrap across lines):

- it holds no digit ("53 nodes", "`002`", "2023", "€20,1 million", "85%");
- no English number word from "two" up, as a word or a plural ("Four of the five seeds",
  "seven groups", "a dozen", "twice", "hundreds"); "one" is left alone, as English uses it as
  a pronoun ("one panel per mission");
- and no Dutch number word, whole ("drie", "twaalf") or a compound of tens, hundreds,
  thousands ("honderdvijftig", "vijfentwintig"): a quoted sentence with a figure is
  a figure of the data too;

except in the phrases of :data:`ALLOWED`, which are taken out of the text first: each is a
name with a digit in it ("F-16"), a constant of a method that the text explains (the
reconciliation's 10%, the precision of a rounded amount) or an example of how the texts write
a figure, in the manner of DOMAIN.md's examples ("€20,1 miljoen, waarvan ..."), and says why
it may stand. A phrase that no notebook uses any more is an error too, so that the list holds
only what is needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

ALLOWED = {
    "F-16": "the aircraft's name (the F-16 detachment)",
    "within 10%": "the reconciliation's tolerance for approximate counts (ontology/README.md)",
    '"€20,1 miljoen, waarvan €18,3 miljoen voor OIR en €1,8 miljoen voor NMI"': (
        "how the texts write a total with its parts, DOMAIN.md's example"
    ),
    '"bedroegen €20,1 miljoen, waarvan ..."': "the same example, the words that mark a total",
    '"€18,3 miljoen" is exact to €0,1 million, so it may be off by €50.000': (
        "the rounding rule of the check of totals, shown on an amount as the texts write it"
    ),
    '"twee en een half miljoen"': "how the texts write an amount in words",
}

# Number words as alternatives of a regular expression: English from "two" up (and its
# plurals), Dutch whole words, and the Dutch stems that make a compound a number wherever
# they stand in it ("honderdvijftig", "vijfentwintig").
ENGLISH = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundred|thousand|million|billion|dozen|twice|thrice|third|fourth|fifth|sixth|"
    "seventh|eighth|ninth|tenth"
)
DUTCH = (
    "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|"
    "zestien|zeventien|achttien|negentien"
)
DUTCH_STEMS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend"
FIGURE = re.compile(
    rf"\d[\d.,]*%?|\b(?:{ENGLISH})s?\b|\b(?:{DUTCH})\b|\b\w*(?:{DUTCH_STEMS})\w*",
    re.IGNORECASE,
)
CONTEXT = 30  # characters shown on either side of a figure found


def prose(path: Path) -> dict[int, str]:
    """The markdown cells of a notebook by their place in it, each with its whitespace made
    single spaces."""
    notebook = nbformat.read(path, as_version=4)
    return {
        n: " ".join(cell.source.split())
        for n, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
    }


def stated_figures(text: str) -> list[str]:
    """Each figure the text states, with the words around it; the phrases of ALLOWED
    are taken out first."""
    for phrase in ALLOWED:
        text = text.replace(phrase, " ")
    return [
        text[max(0, m.start() - CONTEXT) : m.end() + CONTEXT].strip() for m in FIGURE.finditer(text)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_prose_states_no_figure_of_the_data(path: Path) -> None:
    found = [
        f"cell {n}: ...{figure}..."
        for n, text in prose(path).items()
        for figure in stated_figures(text)
    ]
    assert not found, (
        f"{path.name} states figures in its prose; compute them in a code cell (or leave them "
        "out), or add a method constant to ALLOWED with its reason:\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    "text",
    [
        "The network has 53 nodes: the documents and what they name.",
        "Four of the five seeds state amounts.",
        "the list of questions of December 2022 (`002`) speaks of a company",
        "seven groups have figures from more than one document, giving thirteen pairs",
        'a company of "circa honderdvijftig militairen"',
        'special forces in Baghdad ("drie tot twaalf")',
        "the same amount appears twice in one document",
        "components are right for about 85% of figures",
        "a dozen of them are about different years",
        "the €385 million for 2014 to 2020 together",
    ],
)
def test_notebook_prose_rule_finds_a_figure(text: str) -> None:
    assert stated_figures(text)


@pytest.mark.parametrize(
    "text",
    [
        "The same figure (approximate counts within 10%) *confirms*.",
        "One panel for each thing that more than one document gives a figure for.",
        'Amounts are rounded as written: "€18,3 miljoen" is exact to €0,1 million, so it may '
        "be off by €50.000; the check allows the sum of those half-units.",
        "A network of a handful of documents says little beyond which document talks about what.",
        "the total it states is drawn as a black line over the bar (*waarvan*, *daarvan*)",
    ],
)
def test_notebook_prose_rule_lets_method_text_stand(text: str) -> None:
    assert stated_figures(text) == []


@pytest.mark.parametrize("phrase", sorted(ALLOWED))
def test_notebook_prose_allowed_phrases_are_in_use(phrase: str) -> None:
    assert any(phrase in text for path in NOTEBOOKS for text in prose(path).values()), (
        f"no notebook says {phrase!r} any more: take it out of ALLOWED"
    )
