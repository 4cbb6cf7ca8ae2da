"""Which of the sensors an article names took the image, and which of their instruments count.

Part of :func:`gaia_geo.collect.extract_metadata`: the mentions ``find_sensors`` found are
weighed against each other (a generic instrument gives way to one on a named platform, a
platform named alone to one of its instruments, a sensor outside the picture's years is
dropped) and against what the sentences say took the picture.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..sensors import Sensor, all_sensors, get_sensor, lookup_sensor, normalize_name
from ._extract_sensors import SensorMention
from ._sensor_context import (
    ROLE_NAMES,
    carried_instruments,
    named_apart,
    outside_years,
)
from ._sensor_crew import ASTRONAUT, crew_or_payload
from ._sensor_family import flying_twin, named_instruments, only_member
from ._sensor_layers import elevation_beside_radar
from ._sensor_members import members_outrank_family

#: "A NASA instrument aboard the International Space Station collected data": an instrument of
#: that platform, named elsewhere ("The instrument, called ECOSTRESS"), took the picture.
_INSTRUMENT_ABOARD = re.compile(
    r"\binstrument\s+(?:aboard|on board|onboard|on)\s+(?:the\s+)?(?:\w+['\u2019]s\s+)?$",
    re.IGNORECASE,
)


#: Modalities of an instrument that does not make its platform a carrier of several.
_NOT_COUNTED = frozenset(("lightning", "secondary-payload", "sounder"))


@functools.cache
def _multi_instrument_platforms() -> frozenset[str]:
    """Platforms with several registry instruments (Terra, Aqua, Envisat, the ISS...).

    A lightning mapper or a sounder does not count: "Meteosat-12" named alone is its imager, as
    "GOES-16" is, and "INSAT-3DR" its Imager (a sounder's profiles are not a picture).
    A constellation whose satellites each carry several counts too: "Copernicus Sentinel-3"
    names OLCI and SLSTR ("Meteosat" does not: its generations carried one imager each).
    """
    counts: dict[str, int] = {}
    for sensor in all_sensors():
        if sensor.platform and not _NOT_COUNTED.intersection(sensor.modalities):
            counts[sensor.platform] = counts.get(sensor.platform, 0) + 1
    several = {p for p, n in counts.items() if n > 1}
    return frozenset(several) | {
        s.constellation for s in all_sensors() if s.constellation and s.platform in several
    }


def _platform_only(mention: SensorMention, sensor: Sensor) -> bool:
    """Whether the words name only a platform ("NASA's Terra"), not which instrument."""
    if (sensor.platform or emitted_platform(sensor)) not in _multi_instrument_platforms():
        return False
    if not mention.text.isascii() and _NATIVE_INSTRUMENT.search(mention.text):
        return False  # "高性能可視近赤外放射計2型" (AVNIR-2): a radiometer's full name
    words = set(normalize_name(mention.text).split())
    if words & _INSTRUMENT_WORDS or {w[:-1] for w in words} & _INSTRUMENT_WORDS:
        return False  # "Advanced Synthetic Aperture Radar", "des Advanced Land Imagers"
    names = {normalize_name(i) for i in sensor.instruments} | {sensor.key.split("-")[-1]}
    return not words & names


#: Words of an instrument's name ("Advanced Baseline Imager", "Thematic Mapper").
_INSTRUMENT_WORDS = frozenset(
    "imager radiometer spectroradiometer spectrometer mapper scanner camera instrument radar "
    "sounder altimeter interferometer".split()
)

#: The same words in Japanese, Chinese and Korean (radiometer, sensor, radar, camera,
#: spectrometer, imager).
_NATIVE_INSTRUMENT = re.compile(
    "放射計|センサ|レーダ|カメラ|分光|イメージャ|辐射计|成像仪|光谱仪|相机|雷达|相機|雷達"
    "|복사계|센서|레이더|카메라|분광|영상기"
)


def _instrument_only(mention: SensorMention, sensor: Sensor) -> bool:
    """Whether the words name only an instrument ("ABI"), not which platform carried it."""
    if not sensor.platform:
        return False
    words = set(normalize_name(mention.text).split())
    if words & set(normalize_name(sensor.platform).split()):
        return False
    return bool(words & _INSTRUMENT_WORDS) or normalize_name(mention.text) in {
        normalize_name(i) for i in sensor.instruments
    }


def emitted_platform(sensor: Sensor) -> str | None:
    """STAC platform, or the constellation when the text names the constellation itself."""
    if sensor.platform:
        return sensor.platform
    if sensor.constellation and sensor.key.startswith(sensor.constellation):
        return sensor.constellation  # "Sentinel-2A/B", "SkySat": not a guessed satellite
    return None  # "MODIS", "VIIRS": an instrument flown on several satellites


def resolve_sensors(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    years: tuple[int, int] | None,
    notes: list[str],
    published_year: int | None = None,
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Keep the sensors that took the image; the flag says whether its instruments count.

    ``published_year`` (the page's) stands for the picture's years where no date was found:
    it tells which satellite held a role ("GOES-West") on a page of the day's imagery.
    Where the picture's years would drop every sensor the article names, and one of them is
    named in a sentence without those years, the date is the likelier mistake (a launch year,
    a page's history, "first photographed from space in 1965"): they are weighed without it.
    ("Landsat 8 acquired this image on 5 May 2005": the sentence says both; Landsat 8 goes.)
    """
    dropped: list[str] = []
    kept = _resolve(text, found, years, dropped, published_year)
    if not kept and dropped and years is not None and named_apart(text, found, years):
        return _resolve(text, found, None, notes, published_year)
    notes.extend(dropped)
    return kept


def _resolve(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    years: tuple[int, int] | None,
    notes: list[str],
    published_year: int | None,
) -> list[tuple[SensorMention, Sensor, bool]]:
    """:func:`resolve_sensors` for one reading of the picture's years."""
    if years is None and published_year is not None:
        found = _role_holders(found, (published_year, published_year))
    else:
        found = _role_holders(found, years)
    found = [
        (m, s)
        for i, (m, s) in enumerate(found)
        if not (i and _in_brackets_after(text, found[i - 1], (m, s)))
    ]
    strong = [(m, s) for m, s in found if not m.weak]
    if not strong:
        # no sentence says what imaged the picture: the sensors the article names are the best
        # evidence there is ("Image of the Week - Landsat 8's view of ...")
        found = [(replace(m, weak=False), s) for m, s in found]
        strong = found
    generic = {i for _, s in strong if s.platform is None for i in s.instruments}
    carried = carried_instruments(text, found)
    generic |= carried
    # (an instrument family's, not a constellation's: "the RADARSAT Constellation Mission's SAR"
    # does not make a "RADARSAT" trademark line a picture's carrier)
    families = carried | {
        i for _, s in strong if not (s.platform or emitted_platform(s)) for i in s.instruments
    }
    # instruments named as such, not only as a constellation's ("Sentinel-3": OLCI or SLSTR?)
    named, multi = generic, _multi_instrument_platforms()
    if not multi.isdisjoint(s.constellation for _, s in strong if s.platform is None):
        named = carried | {
            i
            for m, s in strong
            if s.platform is None and not (emitted_platform(s) and _platform_only(m, s))
            for i in s.instruments
        }
    kept: list[tuple[SensorMention, Sensor, bool]] = []
    for mention, sensor in found:
        if mention.weak:
            # a platform named without image words still tells which one carried an instrument
            # named elsewhere ("Satellite: Aqua ... MODIS Image of the Day")
            if not (families & set(sensor.instruments)) or sensor.platform is None:
                continue
        # a generic entry (MODIS, VIIRS) gives way to a specific one on a named platform
        if sensor.platform is None and any(
            s.key != sensor.key
            and set(s.instruments) & set(sensor.instruments)
            and s.platform
            # (a constellation, to one of its own: the RCM is not RADARSAT-1's "SAR")
            and (s.constellation == sensor.constellation or not emitted_platform(sensor))
            for m, s in found
            if not m.weak or generic & set(s.instruments)
        ):
            continue
        if (
            sensor.platform
            and any(
                s.platform not in (None, sensor.platform)
                and set(s.instruments) & set(sensor.instruments)
                and not _instrument_only(m, s)
                for m, s in strong
            )
            and _instrument_only(mention, sensor)
        ):
            continue  # "GOES-18 ... its Advanced Baseline Imager": not the GOES-16 entry's ABI
        if sensor.key == "iss-astronaut" and any(
            (s.platform == "iss" and s.key != sensor.key) or s.key == "space-shuttle"
            for _, s in strong
        ):
            continue  # "astronaut photograph ... by the STS-118 crew": the Shuttle's, not the ISS's
        only = _platform_only(mention, sensor)
        carrier = sensor.platform or emitted_platform(sensor)
        if only and any(
            (s.platform or emitted_platform(s)) == carrier and not _platform_only(m, s)
            for m, s in strong
        ):
            continue  # "ASTER ... on NASA's Terra satellite": ASTER says it all
        # "Fengyun-4" in 2018: a series serves one satellite at a time, the one of the years
        if years is not None and "series" in sensor.modalities:
            if (member := only_member(sensor, years)) is not None:
                kept.append((mention, *member))
                continue
        if years is not None and outside_years(sensor, years):
            member = only_member(sensor, years)
            if member is None and _instrument_only(mention, sensor):
                member = flying_twin(sensor, years)  # "AHI" in 2026: Himawari-9's
            if member is not None:  # "Meteosat took its first image" in 1977: Meteosat-1
                kept.append((mention, *member))
                continue
            notes.append(
                f"sensor {sensor.key} ({mention.text!r}) dropped: it operated "
                f"{sensor.start_year}-{sensor.end_year or 'today'}, not {years[0]}-{years[1]}"
            )
            continue
        counts = (
            not only
            or bool(named & set(sensor.instruments))
            or (sensor.key == "iss-astronaut" and ASTRONAUT.search(text) is not None)
        )
        kept.append((mention, sensor, counts))
    kept.extend(_instruments_aboard(text, found, kept))
    kept.extend(_radar_of_platform(text, strong, kept))
    platforms = {p for m, s, _ in kept if m.took and (p := emitted_platform(s))}
    if platforms:
        # a platform or a constellation named only beside image nouns ("Landsat 9 joins Landsat 8
        # in orbit", "images from the Sentinel-1 mission showed") gives way to the ones a
        # sentence says took the picture
        kept = [
            k
            for k in kept
            if k[0].took
            or k[0].shown
            or not emitted_platform(k[1])
            or emitted_platform(k[1]) in platforms
            or any(m.key == k[0].key and m.took for m, _, _ in kept)
        ]
    fields = {p for m, s, _ in kept if m.field and (p := emitted_platform(s))}
    if fields:
        # a caption's field line ("Source: Landsat 7") outranks prose about a collection ("images
        # taken by the Landsat 5 and Landsat 7 satellites")
        kept = [k for k in kept if k[0].field or emitted_platform(k[1]) in (None, *fields)]
    kept = elevation_beside_radar(members_outrank_family(kept))
    return named_instruments(crew_or_payload(text, kept))


@functools.cache
def _role_rows() -> frozenset[str]:
    """The registry rows role names are aliases of ("GOES-East" is GOES-16's)."""
    return frozenset(s.key for name in ROLE_NAMES if (s := lookup_sensor(name)) is not None)


def _role_holders(
    found: list[tuple[SensorMention, Sensor]], years: tuple[int, int] | None
) -> list[tuple[SensorMention, Sensor]]:
    """A role name ("GOES West") as the satellite that held it: one the text names, else by year.

    "GOES West satellite, also known as GOES-17": a holder of the role named by its number
    outranks the picture's years (a wrong date must not turn it into GOES-15).
    """
    if _role_rows().isdisjoint(s.key for _, s in found):
        return found  # (a set test a name, cheaper than normalising each)
    roles = [ROLE_NAMES.get(normalize_name(m.text), ()) for m, _ in found]
    if not any(roles):
        return found
    # (by its number: "GOES-R Aerosol Optical Depth" names the series, not GOES-16)
    named = {
        s.key
        for (m, s), role in zip(found, roles, strict=True)
        if not role and any(c.isdigit() for c in m.text)
    }
    swapped = []
    for (mention, sensor), role in zip(found, roles, strict=True):
        holders = [key for _, _, key in role if key in named]
        if len(holders) == 1:
            sensor = get_sensor(holders[0])
        elif years is not None:
            for first, last, key in role:
                if first <= years[0] <= last:
                    sensor = get_sensor(key)
        swapped.append((mention, sensor))
    return swapped


def _in_brackets_after(
    text: str, previous: tuple[SensorMention, Sensor], mention: tuple[SensorMention, Sensor]
) -> bool:
    """Whether a name in brackets right after a satellite ("GOES-19 (GOES-East)") is that one.

    Only a satellite of the same family: "MODIS (Aqua)" says which satellite carried MODIS.
    """
    (before, first), (after, second) = previous, mention
    return (
        text[before.span[1] : after.span[0]].strip() == "("
        and first.key != second.key
        and first.platform is not None
        and second.platform is not None
        and (
            set(first.instruments) == set(second.instruments)
            # "GOES-15 (GOES-West)": a role name of the same family, whatever it carries
            or (first.constellation is not None and first.constellation == second.constellation)
        )
    )


def _instruments_aboard(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """The one instrument named of a platform that "an instrument aboard" it took the image with."""
    added: list[tuple[SensorMention, Sensor, bool]] = []
    for mention, sensor, counts in kept:
        if counts or not sensor.platform:
            continue
        if not _INSTRUMENT_ABOARD.search(text, max(0, mention.span[0] - 60), mention.span[0]):
            continue
        named = {
            s.key: (m, s)
            for m, s in found
            if s.platform == sensor.platform and s.key != sensor.key and s.instruments
        }
        if len(named) == 1 and all(k[1].key not in named for k in kept):
            m, s = next(iter(named.values()))
            added.append((m, s, True))
    return added


#: "A radar image from ESA's Envisat", "Envisat's radar": the platform's imaging radar took it.
_RADAR = re.compile(r"\b(?:radar|SAR)\b", re.IGNORECASE)


@functools.cache
def _radar_platforms() -> frozenset[str]:
    """Platforms that carry one imaging radar beside other instruments (Envisat, ALOS)."""
    return frozenset(p for s in all_sensors() if (p := s.platform) and _imaging_radar(p))


@functools.cache
def _imaging_radar(platform: str) -> Sensor | None:
    """The one synthetic-aperture radar a platform carries beside other instruments, if one."""
    carried = [s for s in all_sensors() if s.platform == platform]
    radars = [s for s in carried if "sar" in s.modalities]
    return radars[0] if len(radars) == 1 and len(carried) > 1 else None


def _radar_of_platform(
    text: str,
    strong: list[tuple[SensorMention, Sensor]],
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """A multi-instrument platform named alone beside "radar": its imaging radar counts.

    Also where another of its instruments is named: "the first image is from Envisat's radar,
    the second from MERIS".
    """
    added: list[tuple[SensorMention, Sensor, bool]] = []
    if _radar_platforms().isdisjoint(s.platform for _, s, _ in kept):
        return added  # (most platforms carry no radar beside other instruments)
    platforms = {s.platform for _, s, _ in kept}
    for mention, sensor in strong:
        if sensor.platform not in platforms or not _platform_only(mention, sensor):
            continue
        radar = _imaging_radar(sensor.platform)
        begin, end = mention.span
        if radar is not None and _RADAR.search(text, max(0, begin - 40), end + 40):
            if all(k[1].key != radar.key or not k[2] for k in (*kept, *added)):
                added.append((mention, radar, True))
    return added
