"""Which articles the model is asked about, and how its checked answers join the rules'.

``method="llm"`` asks about every article and keeps only the model's (checked) answer, as GAIA
did. ``method="hybrid"`` keeps the rules where they are sure and asks the model about the fields
they doubt (:func:`doubts`):

- **date**: the rules found none; or no date of the text is strongly cued as the picture's (an
  acquisition verb or label: only an image word, or an event's day standing in); or the text
  dates its pictures on different days ("the 1984 image ... the 2013 one"), where the span to
  report is a judgement;
- **sensors**: the rules found none;
- **place**: the rules found none; or the places they found lie in more than one country, where
  which one the picture shows is a judgement.

On the labelled real excerpts these doubts hold most of the rules' errors
(``benchmarks/extract.py --routing`` counts them per part, with the share of articles asked).
A doubted field takes the model's answer when the checks leave one (a supported date, a
registered sensor the text names, a place the text names), and keeps the rules' otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace as with_fields
from typing import TYPE_CHECKING, Any, Literal

from ._extract_llm import EXTRACTION_PROMPT_VERSION, CheckedAnswer, LLMExtractor

if TYPE_CHECKING:
    from ._extract import ExtractedMetadata

ExtractionMethod = Literal["rules", "llm", "hybrid"]
METHODS: tuple[str, ...] = ("rules", "llm", "hybrid")
#: The fields :func:`doubts` names.
FIELDS: tuple[str, ...] = ("date", "sensors", "place")


def doubts(meta: ExtractedMetadata) -> frozenset[str]:
    """The fields (``"date"``, ``"sensors"``, ``"place"``) the rules are unsure of.

    Args:
        meta: what the rules found (:func:`gaia_geo.extract_metadata` with ``method="rules"``).
    """
    out = set()
    acquisition = [d for d in meta.dates if d.role == "acquisition"]
    if (
        meta.precision is None
        or not any(d.strength == "strong" for d in acquisition)
        or len({(d.start, d.end) for d in acquisition}) > 1
    ):
        out.add("date")
    if not meta.sensors:
        out.add("sensors")
    if len({p.country_code for p in meta.places}) != 1:
        out.add("place")
    return frozenset(out)


def apply_llm(
    metas: list[ExtractedMetadata],
    texts: Sequence[str],
    published: Sequence[dt.date | None],
    method: ExtractionMethod,
    llm: LLMExtractor,
) -> list[ExtractedMetadata]:
    """Ask the model about the articles the method asks about, and merge its checked answers.

    ``llm`` replaces every field with the model's (checked) answer; ``hybrid`` asks only about
    articles with a field in :func:`doubts`, and only those fields take the model's answer.
    """
    fields = [frozenset(FIELDS) if method == "llm" else doubts(m) for m in metas]
    asked = [i for i, f in enumerate(fields) if f]
    answers = llm.ask([texts[i] for i in asked])
    out = list(metas)
    for i, raw in zip(asked, answers, strict=True):
        checked = llm.check(texts[i], raw, published[i])
        out[i] = _merge(metas[i], checked, texts[i], fields[i], replace=method == "llm")
    return out


def _merge(
    meta: ExtractedMetadata,
    answer: CheckedAnswer,
    text: str,
    fields: frozenset[str],
    *,
    replace: bool,
) -> ExtractedMetadata:
    """``meta`` with ``fields`` from ``answer``: all if ``replace``, else those it answers."""
    from ._extract_places import PlaceMention
    from ._gazetteer import load_gazetteer
    from ._sensor_resolve import emitted_platform

    changes: dict[str, Any] = {}
    if "date" in fields:
        if answer.start is not None and answer.end is not None:
            first = dt.datetime.combine(answer.start, dt.time(), tzinfo=dt.UTC)
            last = dt.datetime.combine(answer.end, dt.time(23, 59, 59), tzinfo=dt.UTC)
            changes.update(
                datetime=first if answer.start == answer.end else None,
                start_datetime=first,
                end_datetime=last,
                precision="day",
            )
        elif replace:
            changes.update(datetime=None, start_datetime=None, end_datetime=None, precision=None)
    if "sensors" in fields and (answer.sensors or replace):
        changes["platforms"] = tuple(
            dict.fromkeys(p for s in answer.sensors if (p := emitted_platform(s)))
        )
        changes["instruments"] = tuple(
            dict.fromkeys(i for s in answer.sensors for i in s.instruments)
        )
    if replace:
        changes["places"] = ()
    if "place" in fields and answer.place:
        gazetteer = load_gazetteer()
        candidates = list(gazetteer.lookup(answer.place))
        if answer.country_code:
            candidates = [p for p in candidates if p.country_code == answer.country_code]
            name = gazetteer.country_names.get(answer.country_code)
            candidates += list(gazetteer.lookup(name)) if name else []
        if candidates:
            best = candidates[0]
            at = text.lower().find(answer.place.lower())
            span = (at, at + len(answer.place)) if at >= 0 else (0, 0)
            mention = PlaceMention(
                best.name, best.lon, best.lat, best.country_code, best.kind, answer.place, span
            )
            # the model's place leads; the rules' stay behind it as the text's other places
            rest = () if replace else meta.places
            same = (best.name, best.country_code)
            changes["places"] = (
                mention,
                *(p for p in rest if (p.name, p.country_code) != same),
            )
    notes = (
        *meta.notes,
        f"llm ({EXTRACTION_PROMPT_VERSION}) filled {sorted(changes) or 'nothing'}",
    )
    return with_fields(meta, notes=notes, **changes)
