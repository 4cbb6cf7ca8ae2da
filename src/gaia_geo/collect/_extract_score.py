"""Score metadata extraction against hand-labelled article excerpts (per-field precision/recall).

The labelled set is JSON Lines, one excerpt per line::

    {"id": "real-001", "source": "nasa", "url": "https://...", "published": null,
     "text": "...", "date": {"start": "2002-07-08", "end": "2002-07-08"},
     "platforms": ["terra"], "instruments": ["modis"], "place": "California",
     "countries": ["US"], "split": "dev"}

``date`` is the acquisition day or range (``null`` when the text gives none); ``countries`` the
ISO codes any of which is a right answer for the main place (empty when the place is a sea, a
continent or the whole Earth). The package ships one such set of real excerpts in its tests
(``tests/data/real/articles.jsonl``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sensors import Sensor
from ..sensors._registry import alias_table
from ._extract import ExtractedMetadata
from ._extract_places import _WATER

FIELDS = ("date", "platforms", "instruments", "place")


@dataclass(frozen=True)
class LabelledArticle:
    """One hand-labelled excerpt (see the module docstring for the file format)."""

    id: str
    source: str
    url: str
    text: str
    published: dt.date | None
    date: tuple[dt.date, dt.date] | None
    platforms: frozenset[str]
    instruments: frozenset[str]
    countries: frozenset[str]
    split: str
    place: str = ""


def load_labelled_articles(path: str | Path) -> list[LabelledArticle]:
    """Read a labelled set (JSON Lines).

    Raises:
        ValueError: naming the file and line of a malformed record.
    """
    out: list[LabelledArticle] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
            date = raw["date"]
            out.append(
                LabelledArticle(
                    id=raw["id"],
                    source=raw["source"],
                    url=raw["url"],
                    text=raw["text"],
                    published=dt.date.fromisoformat(raw["published"])
                    if raw.get("published")
                    else None,
                    date=None
                    if date is None
                    else (dt.date.fromisoformat(date["start"]), dt.date.fromisoformat(date["end"])),
                    platforms=frozenset(raw["platforms"]),
                    instruments=frozenset(raw["instruments"]),
                    countries=frozenset(raw["countries"]),
                    split=raw.get("split", "dev"),
                    place=raw.get("place") or "",
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}, line {number}: not a labelled article ({exc})") from None
    return out


@dataclass
class FieldScore:
    """Counts for one field: exact per-article matches, and item-level precision/recall."""

    articles: int = 0
    exact: int = 0
    predicted: int = 0  # items (dates, platforms...) predicted
    labelled: int = 0  # items labelled
    correct: int = 0  # items predicted and right

    @property
    def accuracy(self) -> float:
        """Share of articles whose field is exactly right (an empty label matched by nothing)."""
        return self.exact / self.articles if self.articles else 0.0

    @property
    def precision(self) -> float:
        """Share of predicted items that are right."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled items that were predicted."""
        return self.correct / self.labelled if self.labelled else 1.0


@dataclass
class ExtractionScore:
    """Per-field scores, with the ids of the articles each field got wrong."""

    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    errors: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS})


def predicted_fields(
    meta: ExtractedMetadata,
) -> tuple[tuple[dt.date, dt.date] | None, set[str], set[str], str | None]:
    """The four scored fields of an extraction: date range, platforms, instruments, country."""
    when = None
    if meta.start_datetime is not None and meta.end_datetime is not None:
        when = (meta.start_datetime.date(), meta.end_datetime.date())
    country = meta.places[0].country_code if meta.places else None
    return when, set(meta.platforms), set(meta.instruments), country


def _count(score: FieldScore, predicted: set[str], labelled: frozenset[str]) -> bool:
    score.predicted += len(predicted)
    score.labelled += len(labelled)
    score.correct += len(predicted & labelled)
    return predicted == labelled


def score_extraction(
    articles: Iterable[LabelledArticle],
    extract: Callable[[str, dt.date | None], ExtractedMetadata],
) -> ExtractionScore:
    """Run ``extract`` on every article and compare with the labels.

    A date is right when its first and last day equal the label's; a place when the first place's
    country is one of the label's countries (or there is neither); platforms and instruments are
    compared as sets (per article) and item by item (precision/recall).
    """
    result = ExtractionScore()
    for article in articles:
        when, platforms, instruments, country = predicted_fields(
            extract(article.text, article.published)
        )
        date_score = result.fields["date"]
        date_score.predicted += when is not None
        date_score.labelled += article.date is not None
        date_score.correct += when is not None and when == article.date
        checks = {
            "date": when == article.date,
            "platforms": _count(result.fields["platforms"], platforms, article.platforms),
            "instruments": _count(result.fields["instruments"], instruments, article.instruments),
        }
        place = result.fields["place"]
        place.predicted += country is not None
        place.labelled += bool(article.countries)
        place.correct += country is not None and country in article.countries
        checks["place"] = country in article.countries if article.countries else country is None
        for name, ok in checks.items():
            result.fields[name].articles += 1
            result.fields[name].exact += ok
            if not ok:
                result.errors[name].append(article.id)
    return result


def classify_errors(article: LabelledArticle, meta: ExtractedMetadata) -> dict[str, str]:
    """Name the kind of each wrong field, from the labels and the extraction alone.

    The kinds let a held-out part be studied without reading its texts: e.g. ``place: unknown
    to the gazetteer`` (no word of the labelled place name resolves to a right country) is fixed
    by gazetteer coverage, ``place: right country found, not first`` by ordering rules.

    Returns:
        Field name -> kind, for the fields that are wrong only.
    """
    from ._extract_sensors import find_sensors
    from ._gazetteer import load_gazetteer

    when, platforms, instruments, country = predicted_fields(meta)
    kinds: dict[str, str] = {}
    if when != article.date:
        if when is None:
            kinds["date"] = "date: acquisition date missed"
        elif article.date is None:
            kinds["date"] = "date: a date taken where the text gives none"
        elif when[0] <= article.date[0] and article.date[1] <= when[1]:
            kinds["date"] = "date: range too wide"
        elif article.date[0] <= when[0] and when[1] <= article.date[1]:
            kinds["date"] = "date: range too narrow (one of several images)"
        else:
            kinds["date"] = "date: another date taken"
    mentioned = {s for _, s in find_sensors(article.text)}
    for name, got, label, field_of in (
        ("platforms", platforms, article.platforms, lambda s: {s.platform, s.constellation}),
        ("instruments", instruments, article.instruments, lambda s: set(s.instruments)),
    ):
        if got == label:
            continue
        missed, extra = label - got, got - label
        if (
            missed
            and extra
            and any(
                {p, q} <= field_of(s) | {s.platform}
                for s in mentioned
                for p in extra
                for q in missed
            )
        ):
            kinds[name] = f"{name}: constellation and platform confused"
        elif missed:
            kinds[name] = f"{name}: missed, " + _why_missed(article.text, missed, field_of, meta)
        else:
            kinds[name] = f"{name}: a sensor kept that did not take the picture"
    if not (country in article.countries if article.countries else country is None):
        found_cc = [p.country_code for p in meta.places]
        if not article.countries:
            kinds["place"] = "place: a country given for a sea, continent or the whole Earth"
        elif any(cc in article.countries for cc in found_cc):
            kinds["place"] = "place: right country found, not first"
        else:
            gazetteer = load_gazetteer()
            words = re.findall(r"[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*)*", article.place)
            known = [
                p for w in words for p in gazetteer.lookup(w) if p.country_code in article.countries
            ]
            if not known:
                kinds["place"] = "place: the place is unknown to the gazetteer"
            elif country is not None:
                kinds["place"] = "place: another place taken"
            elif _WATER.search(article.text):
                kinds["place"] = (
                    "place: dropped, a sea or a region of several countries named first"
                )
            elif all(p.kind == "city" for p in known):
                kinds["place"] = "place: dropped, a town named without a place word before it"
            else:
                kinds["place"] = "place: dropped, inside a longer name or by another rule"
    return kinds


def _why_missed(
    text: str,
    missed: frozenset[str] | set[str],
    field_of: Callable[[Sensor], set[str]],
    meta: ExtractedMetadata,
) -> str:
    """Why a labelled platform or instrument was not predicted (the first reason that applies)."""
    from ._extract_sensors import find_sensors

    found = [(m, s) for m, s in find_sensors(text) if field_of(s) & missed]
    if found:
        if all(m.weak for m, _ in found):
            return "named without an image word in its sentence"
        if any(s.key in note for _, s in found for note in meta.notes):
            return "dropped as outside its years of operation"
        return "found but dropped by the rules"
    lowered = text.lower()
    if any(field_of(s) & missed and alias in lowered for alias, s in alias_table().items()):
        return "named only in a launch, comparison or other non-image clause"
    return "the text's name is not in the registry"
