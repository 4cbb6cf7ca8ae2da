"""The gazetteer's load made cheaper (twelfth round's tables): the same index as before."""

from __future__ import annotations

import pandas as pd

from gaia_geo.collect import load_gazetteer
from gaia_geo.collect._foreign_regions import _latin_rows, latin_region_entries
from gaia_geo.collect._gazetteer import Place, _regions


def _snapshot_entries(index: dict[str, list[Place]], taken: set[str]) -> list[tuple[str, Place]]:
    """The former ``latin_region_entries``: the index's countries read once, before any entry."""
    from gaia_geo.collect._gazetteer import fold_accents

    known = set(taken)
    elsewhere = {n: {p.country_code for p in ps} for n, ps in index.items()}
    out = []
    for name, cc, lat, lon in _latin_rows():
        if lat != lat:
            continue  # (the country's point: not what this test is about)
        for spelled in dict.fromkeys((name, fold_accents(name))):
            if spelled not in known and elsewhere.get(spelled, {cc}) == {cc}:
                known.add(spelled)
                out.append((spelled, Place(name, lon, lat, cc, "", "region", 1e5)))
    return out


def test_latin_region_entries_read_the_index_as_a_snapshot_would() -> None:
    rows = [r for r in _latin_rows() if r[2] == r[2]][:400]
    index: dict[str, list[Place]] = {}
    for i, (name, cc, lat, lon) in enumerate(rows):
        if i % 3 == 0:  # a town of the name in another country: the name is left out
            index[name] = [Place(name, lon, lat, "ZZ", "", "city", 1.0)]
        elif i % 3 == 1:  # a town of the name in the region's country: the name is kept
            index[name] = [Place(name, lon, lat, cc, "", "city", 1.0)]
    expected = [e for e in _snapshot_entries(index, set()) if e[0] in {r[0] for r in rows}]
    got = []
    for alias, region in latin_region_entries(index, set()):
        index[alias] = [region, *index.get(alias, [])]  # as load_gazetteer changes it meanwhile
        if alias in {r[0] for r in rows}:
            got.append((alias, region))
    assert [a for a, _ in got] == [a for a, _ in expected]
    assert len(got) >= 200
    assert not any(r[0] in {a for a, _ in got} for i, r in enumerate(rows) if i % 3 == 0)


def test_regions_give_what_iterrows_gave() -> None:
    frame = pd.DataFrame(
        {
            "admin1": ["Bavaria", "Bavaria", "Tuscany", "", "Texas"],
            "cc": ["DE", "DE", "IT", "FR", "US"],
            "lat": [48.1, 49.5, 43.7, 45.0, 30.0],
            "lon": [11.6, 11.0, 11.2, 2.0, -97.0],
        }
    )
    grouped = frame[frame["admin1"] != ""].groupby(["admin1", "cc"], sort=False)
    medians, sizes = grouped[["lat", "lon"]].median(), grouped.size()
    before = [
        (str(a), str(c), float(r["lon"]), float(r["lat"]), int(sizes[(a, c)]))
        for (a, c), r in medians.iterrows()
    ]
    assert list(_regions(frame)) == before
    assert before[0] == ("Bavaria", "DE", 11.3, 48.8, 2)


def test_latin_region_names_of_note_after_the_city_names() -> None:
    # "Toskana" (Tuscany in German) and "Bavière" (Bavaria in French) are the regions'; the
    # names of note computed once less did not change which names the regions took
    gazetteer = load_gazetteer()
    assert [p.country_code for p in gazetteer.lookup("Toskana")][:1] == ["IT"]
    assert gazetteer.lookup("Toskana")[0].kind == "region"
    assert gazetteer.lookup("Bayern")[0].country_code == "DE"


def test_every_name_lists_its_places_heaviest_first() -> None:
    # (a name of one place is no longer sorted: the order the others keep is unchanged)
    by_name = load_gazetteer().by_name
    assert all(
        all(a.weight >= b.weight for a, b in zip(ps, ps[1:], strict=False))
        for ps in by_name.values()
    )
    assert sum(len(ps) > 1 for ps in by_name.values()) > 1000
