"""Checks an answer must pass before anything is written to an Item.

Each check returns human-readable reasons; the reasons go back to the model once (see
:func:`gaia_geo.describe._prompts.rejection_message`), and an answer that still fails is recorded as
failed, never written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pystac

from .._regex import trie_pattern
from ..sensors import Sensor, all_sensors, normalize_name
from ._prompts import RESOLUTION_VALUES

#: Two captions whose word sets overlap this much (Jaccard) are near-duplicates.
NEAR_DUPLICATE = 0.8
PREFIX = "the image showcases:"

_PHOTO = re.compile(r"\bphoto(?:graph)?s?\b|\bphotographed\b", re.IGNORECASE)
_ASTRONAUT = re.compile(r"\bastronaut photograph(?:y|s)?\b", re.IGNORECASE)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTHS) + r")\.?(?:\s+(\d{1,2}))?,?\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# A capitalised month name left after the full dates are removed ("in June", "late March").
_BARE_MONTH = re.compile(
    r"(\b(?:in|of|early|late|mid|during|since|until|by)[ -])?\b("
    + "|".join(m.capitalize() for m in _MONTHS)
    + r")\b"
)
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})s?\b")
_DEGREES = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*°\s*([NSEW])?", re.IGNORECASE)
_DECIMAL_PAIR = re.compile(r"\(?\s*(-?\d{1,2}\.\d{2,})\s*,\s*(-?\d{1,3}\.\d{2,})\s*\)?")
# Cheap necessary conditions, searched first: most captions name no date, photo or coordinates,
# and a literal-led search is several times faster than the full patterns above.
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")  # in every _MONTH_DATE, _ISO_DATE and _YEAR match
_MONTH_HINT = re.compile("|".join(m.capitalize() for m in _MONTHS))  # in every _BARE_MONTH match
_PHOTO_HINT = re.compile("photo", re.IGNORECASE)  # in every _PHOTO match
_DECIMAL_HINT = re.compile(r"\d\.\d\d")  # in every _DECIMAL_PAIR match
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ItemFacts:
    """What an Item's metadata supports: its time range, bbox and sensor.

    Attributes:
        start: earliest supported instant (UTC), or ``None`` when the Item has no date.
        end: latest supported instant (UTC).
        bbox: ``(west, south, east, north)``, or ``None``.
        platform: STAC ``platform``.
        constellation: STAC ``constellation``.
        instruments: STAC ``instruments``.
    """

    start: dt.datetime | None
    end: dt.datetime | None
    bbox: tuple[float, float, float, float] | None
    platform: str | None
    constellation: str | None
    instruments: tuple[str, ...]

    @classmethod
    def of(cls, item: pystac.Item) -> ItemFacts:
        """Read the facts of an Item."""
        props = item.properties
        common = item.common_metadata
        start = _parse(common.start_datetime) or _parse(item.datetime)
        end = _parse(common.end_datetime) or _parse(item.datetime)
        bbox = tuple(item.bbox[:2] + item.bbox[-2:]) if item.bbox else None
        return cls(
            start,
            end,
            bbox,  # type: ignore[arg-type]
            _lower(props.get("platform")),
            _lower(props.get("constellation")),
            tuple(str(i).lower() for i in props.get("instruments") or ()),
        )


def _lower(value: Any) -> str | None:
    return str(value).lower() if value else None


def _parse(value: Any) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _words(caption: str) -> set[str]:
    text = caption.lower()
    text = text[len(PREFIX) :] if text.startswith(PREFIX) else text
    return set(_WORD.findall(text))


def _jaccard(a: set[str], b: set[str]) -> float:
    common = len(a & b)
    union = len(a) + len(b) - common
    return common / union if union else 1.0


def check_structure(answer: Any) -> list[str]:
    """Five non-empty, distinct captions, the fields of the schema, nothing calling it a photo."""
    if not isinstance(answer, dict):
        return ["the answer is not a JSON object"]
    captions = answer.get("captions")
    if not isinstance(captions, list) or not all(isinstance(c, str) for c in captions):
        return ["'captions' must be a list of strings"]
    reasons = []
    if len(captions) != 5:
        reasons.append(f"there must be exactly 5 captions, got {len(captions)}")
    empty = [i + 1 for i, c in enumerate(captions) if len(c.strip()) < 3]
    if empty:
        reasons.append(f"captions {empty} are empty")
    words = [_words(c) for c in captions]
    for i in range(len(captions)):
        for j in range(i + 1, len(captions)):
            if _jaccard(words[i], words[j]) >= NEAR_DUPLICATE:
                reasons.append(f"captions {i + 1} and {j + 1} are near-duplicates; vary them")
    for i, caption in enumerate(captions):
        if _PHOTO_HINT.search(caption) and _PHOTO.search(_ASTRONAUT.sub("", caption)):
            reasons.append(f"caption {i + 1} calls the image a photo or photograph")
    if answer.get("resolution") not in RESOLUTION_VALUES:
        reasons.append(f"'resolution' must be one of {', '.join(RESOLUTION_VALUES)}")
    for name in ("is_remote_sensing", "is_chart"):
        if not isinstance(answer.get(name), bool):
            reasons.append(f"'{name}' must be true or false")
    return reasons


def _date_ok(facts: ItemFacts, year: int, month: int | None, day: int | None) -> bool:
    if facts.start is None or facts.end is None:
        return False
    lo, hi = facts.start, facts.end
    if month is None:
        return lo.year <= year <= hi.year
    if day is None:
        return (lo.year, lo.month) <= (year, month) <= (hi.year, hi.month)
    return lo.date() <= dt.date(year, month, day) <= hi.date()


def _month_ok(facts: ItemFacts, month: int) -> bool:
    """Whether a month named without a year falls in the Item's time range."""
    if facts.start is None or facts.end is None:
        return False
    lo, hi = facts.start, facts.end
    if (hi.year - lo.year) * 12 + hi.month - lo.month >= 11:
        return True  # a year or more: every month is in it
    months = set()
    year, current = lo.year, lo.month
    while (year, current) <= (hi.year, hi.month):
        months.add(current)
        year, current = (year + 1, 1) if current == 12 else (year, current + 1)
    return month in months


def check_dates(captions: Sequence[str], facts: ItemFacts) -> list[str]:
    """Every date or year a caption names must lie in the Item's time range."""
    reasons = []
    for i, caption in enumerate(captions):
        rest = caption
        found: list[tuple[str, int, int | None, int | None]] = []
        if _YEAR_HINT.search(caption):  # else no full date, ISO date or year to find
            for m in _MONTH_DATE.finditer(caption):
                day = m.group(1) or m.group(3)
                month_no = _MONTHS.index(m.group(2).lower()) + 1
                found.append((m.group(0), int(m.group(4)), month_no, int(day) if day else None))
                rest = rest.replace(m.group(0), " ")
            for m in _ISO_DATE.finditer(rest):
                day_s = m.group(3)
                iso_day = int(day_s) if day_s else None
                found.append((m.group(0), int(m.group(1)), int(m.group(2)), iso_day))
                rest = rest.replace(m.group(0), " ")
            found.extend((m.group(0), int(m.group(1)), None, None) for m in _YEAR.finditer(rest))
        for m in _BARE_MONTH.finditer(rest) if _MONTH_HINT.search(rest) else ():
            if m.group(2) == "May" and not m.group(1):
                continue  # "May" without "in"/"early"... is more likely the verb
            month_no = _MONTHS.index(m.group(2).lower()) + 1
            if not _month_ok(facts, month_no):
                reasons.append(
                    f"caption {i + 1} names the month {m.group(2)!r}, which the Item's metadata "
                    "does not support; leave dates out unless the metadata gives them"
                )
        for text, year, month_, day_ in found:
            month, day = month_, day_
            if year > dt.date.today().year + 1:
                continue  # a count such as "2048 pixels", not a year
            try:
                ok = _date_ok(facts, year, month, day)
            except ValueError:
                ok = False
            if not ok:
                reasons.append(
                    f"caption {i + 1} names the date {text!r}, which the Item's metadata does not "
                    "support; leave dates out unless the metadata gives them"
                )
    return reasons


def _inside(facts: ItemFacts, lat: float, lon: float, margin: float = 1.0) -> bool:
    if facts.bbox is None:
        return False
    west, south, east, north = facts.bbox
    lat_ok = south - margin <= lat <= north + margin
    if west <= east:
        return lat_ok and west - margin <= lon <= east + margin
    return lat_ok and (lon >= west - margin or lon <= east + margin)


def check_coordinates(answer: dict[str, Any], facts: ItemFacts) -> list[str]:
    """Coordinates in the captions or the ``coordinates`` field must fall in the Item's bbox."""
    reasons = []
    coords = answer.get("coordinates")
    if isinstance(coords, dict):
        lat, lon = coords.get("lat"), coords.get("lon")
        if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or not _inside(
            facts, float(lat), float(lon)
        ):
            reasons.append(
                f"'coordinates' {coords} are outside the Item's bounding box {facts.bbox}; "
                "give null unless the metadata supports them"
            )
    for i, caption in enumerate(answer.get("captions") or []):
        if ("°" in caption and _DEGREES.search(caption)) or (
            _DECIMAL_HINT.search(caption) and _DECIMAL_PAIR.search(caption)
        ):
            reasons.append(f"caption {i + 1} gives coordinates; leave coordinates out of captions")
    return reasons


@dataclass(frozen=True)
class _AliasIndex:
    pattern: re.Pattern[str]
    sensors: dict[str, Sensor]
    names_platform: dict[str, bool]


_INDEX: list[_AliasIndex] = []


def _alias_index() -> _AliasIndex:
    """One regex over every registry alias (longest first), built once."""
    if not _INDEX:
        sensors: dict[str, Sensor] = {}
        names_platform: dict[str, bool] = {}
        for sensor in all_sensors():
            owners = (sensor.platform, sensor.constellation, sensor.mission)
            words = {normalize_name(n).split()[0] for n in owners if n and normalize_name(n)}
            for name in (sensor.key, sensor.name, *sensor.aliases):
                alias = normalize_name(name)
                # Two-letter aliases ("tm") match ordinary words too often to be evidence.
                if len(alias) > 2:
                    sensors[alias] = sensor
                    names_platform[alias] = bool(words & set(alias.split()))
        # At a position the longest alias followed by a space wins. A trie-shaped pattern finds
        # it as a flat longest-first alternation would, several times faster (one branch per
        # character instead of one per alias), and the leading space lets the search skip ahead.
        pattern = re.compile(rf" ({trie_pattern(sensors)})(?= )")
        _INDEX.append(_AliasIndex(pattern, sensors, names_platform))
    return _INDEX[0]


def _mentioned(texts: Sequence[str]) -> list[tuple[str, Sensor, bool]]:
    """``(text, sensor, names_platform)`` for each registry alias found in ``texts``."""
    index = _alias_index()
    out = []
    for text in texts:
        for match in index.pattern.finditer(f" {normalize_name(text)} "):
            alias = match.group(1)
            out.append((text, index.sensors[alias], index.names_platform[alias]))
    return out


def consistent(sensor: Sensor, facts: ItemFacts, names_platform: bool = True) -> bool:
    """Whether naming ``sensor`` agrees with the Item's platform/constellation/instruments.

    Args:
        sensor: the sensor a text names.
        facts: the Item's facts.
        names_platform: whether the text named the platform ("Landsat 8") rather than only the
            instrument ("OLI"); an instrument alone agrees with any platform that carries it.
    """
    if facts.platform is None and facts.constellation is None and not facts.instruments:
        return True
    shared_instrument = bool(set(sensor.instruments) & set(facts.instruments))
    if not names_platform:
        return shared_instrument or not facts.instruments
    if sensor.platform and facts.platform and sensor.platform != facts.platform:
        return False
    if sensor.platform and sensor.platform == facts.platform:
        return True
    if sensor.constellation and sensor.constellation == facts.constellation:
        return True
    return shared_instrument


def check_sensors(answer: dict[str, Any], facts: ItemFacts) -> list[str]:
    """Satellites and sensors named (fields and captions) must agree with the Item's sensor."""
    texts = [str(s) for s in (answer.get("satellite") or []) + (answer.get("sensor") or [])]
    texts.extend(str(c) for c in answer.get("captions") or [])
    reasons = []
    seen: set[str] = set()
    for text, sensor, names_platform in _mentioned(texts):
        if sensor.key not in seen and not consistent(sensor, facts, names_platform):
            seen.add(sensor.key)
            known = facts.platform or facts.constellation or ", ".join(facts.instruments)
            reasons.append(
                f"{text[:60]!r} names {sensor.name}, but the Item was acquired by {known}; "
                "name only the Item's satellite and sensor"
            )
    return reasons


def check_answer(answer: Any, item: pystac.Item) -> list[str]:
    """Every check of this module; an empty list means the answer may be written.

    Args:
        answer: the parsed structured answer.
        item: the Item it is for.

    Returns:
        The reasons the answer is rejected (empty when it passes).
    """
    reasons = check_structure(answer)
    if not isinstance(answer, dict) or not isinstance(answer.get("captions"), list):
        return reasons
    facts = ItemFacts.of(item)
    captions = [c for c in answer["captions"] if isinstance(c, str)]
    reasons += check_dates(captions, facts)
    reasons += check_coordinates(answer, facts)
    reasons += check_sensors(answer, facts)
    return reasons
