from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gaia_geo.balance._frame import item_times, load_items, representative_points
from gaia_geo.balance._places import great_circle_km
from gaia_geo.balance._strata import compute_strata, grid_cells, parse_spatial


def _frame(geoms: list, **columns: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(geoms, crs=4326))


def test_representative_points_mixed_and_antimeridian() -> None:
    frame = _frame(
        [
            shapely.Point(10.0, 20.0),
            shapely.box(0, 0, 2, 2),
            shapely.MultiPolygon(
                [shapely.box(179, -18, 180, -16), shapely.box(-180, -18, -179, -16)]
            ),
            # unsplit footprint written the long way round: 170E..170W across the antimeridian
            shapely.Polygon([(170, 0), (-170, 0), (-170, 5), (170, 5)]),
            None,
            shapely.Point(),
        ]
    )
    lon, lat = representative_points(frame)
    assert (lon[0], lat[0]) == (10.0, 20.0)
    assert shapely.box(0, 0, 2, 2).contains(shapely.Point(lon[1], lat[1]))
    assert abs(abs(lon[2]) - 180) <= 1 and -18 <= lat[2] <= -16
    assert abs(abs(lon[3]) - 180) <= 10 and 0 <= lat[3] <= 5
    assert np.isnan(lon[4:]).all() and np.isnan(lat[4:]).all()


def test_item_times_uses_range_midpoint() -> None:
    frame = pd.DataFrame(
        {
            "datetime": pd.to_datetime(["2020-03-01", None, None], utc=True),
            "start_datetime": pd.to_datetime([None, "2010-01-01", None], utc=True),
            "end_datetime": pd.to_datetime([None, "2010-12-31", None], utc=True),
        }
    )
    times = item_times(frame)
    assert times[0] == pd.Timestamp("2020-03-01", tz="UTC")
    assert times[1] == pd.Timestamp("2010-07-02", tz="UTC")  # 364 days / 2
    assert pd.isna(times[2])


@pytest.mark.parametrize("spec", ["h3:16", "h3", "grid:0", "grid:-5", "hex:2", "", "countries"])
def test_bad_spatial_specs(spec: str) -> None:
    with pytest.raises(ValueError, match="spatial|H3|grid"):
        parse_spatial(spec)


def test_grid_cells_are_near_equal_area() -> None:
    km = 100.0
    for lat0 in (0.0, 45.0, 70.0):
        row, col = grid_cells(np.array([10.0]), np.array([lat0]), km)
        # walk east until the column changes: the cell width in km
        lons = 10.0 + np.linspace(0, 5, 5001) / np.cos(np.radians(lat0))
        _, cols = grid_cells(lons, np.full(len(lons), lat0), km)
        start = lons[np.argmax(cols != col[0])]
        _, nxt = grid_cells(lons, np.full(len(lons), lat0), km)
        after = lons[np.argmax(nxt > cols[np.argmax(cols != col[0])])]
        width = great_circle_km(start, lat0, after, lat0)
        assert 90 <= width <= 115, (lat0, width)


def test_country_continent_and_season() -> None:
    frame = _frame(
        [shapely.Point(2.35, 48.86), shapely.Point(151.2, -33.87), shapely.Point(-74.0, 40.7)],
        datetime=pd.to_datetime(["2020-07-01", "2020-07-01", "2020-01-15"], utc=True),
    )
    country = compute_strata(frame, spatial="country", temporal="season")
    labels = [country.axes[0].labels[c] for c in country.axes[0].codes]
    assert labels == ["FR", "AU", "US"]
    seasons = [country.axes[1].labels[c] for c in country.axes[1].codes]
    assert seasons == ["summer", "winter", "winter"]  # July is winter south of the equator
    continent = compute_strata(frame, spatial="continent", temporal="none")
    names = [continent.axes[0].labels[c] for c in continent.axes[0].codes]
    assert names == ["Europe", "Oceania", "North America"]


def test_temporal_bins_and_extra_columns(items: gpd.GeoDataFrame) -> None:
    strata = compute_strata(items, spatial="none", temporal="month", by=("gaia:tags",))
    months = set(strata.axes[1].labels)
    assert all(len(m) == 7 and m[4] == "-" for m in months)
    assert set(strata.axes[2].labels) == {"flood", "fire", "ice"}  # first tag of each list
    decade = compute_strata(items, spatial="none", temporal="decade")
    assert set(decade.axes[1].labels) <= {"2000s", "2010s", "2020s"}
    with pytest.raises(ValueError, match="no such column"):
        compute_strata(items, by=("nope",))
    with pytest.raises(ValueError, match="temporal"):
        compute_strata(items, temporal="week")  # type: ignore[arg-type]


def test_missing_policy(items: gpd.GeoDataFrame) -> None:
    dropped = compute_strata(items, spatial="h3:1", temporal="year", missing="drop")
    assert dropped.missing == {"place": 2, "time": 2}
    assert dropped.eligible.sum() == len(items) - 4
    kept = compute_strata(items, spatial="h3:1", temporal="year", missing="unknown")
    assert kept.eligible.all()
    spatial = kept.axes[0]
    assert (spatial.labels[spatial.codes] == "unknown").sum() == 2
    temporal = kept.axes[1]
    assert (temporal.labels[temporal.codes] == "unknown").sum() == 2
    # spatial="none" needs no place, so only the undated are left out
    assert compute_strata(items, spatial="none", missing="drop").eligible.sum() == len(items) - 2


def test_load_items_reprojects_and_rejects() -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(500000, 0)], crs=32631)
    back = load_items(frame)
    assert back.crs.to_epsg() == 4326
    assert abs(back.geometry.x[0] - 3.0) < 1e-6
    with pytest.raises(TypeError, match="GeoDataFrame or a catalog path"):
        load_items(42)  # type: ignore[arg-type]
