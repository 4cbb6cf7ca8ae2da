"""GaiaGeoDataset: a catalog's georeferenced Items as a TorchGeo GeoDataset of captioned chips."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import shapely
from geopandas import GeoDataFrame
from rasterio.crs import CRS
from torchgeo.datasets import RasterDataset
from torchgeo.datasets.utils import GeoSlice

from ..errors import BandCountError, ImageReadError
from ._captions import CaptionChoice, CaptionPicker
from ._images import band_indexes
from ._records import ItemRecord, load_records, select_records

#: the default CRS: longitude/latitude, which suits a global catalog
DEFAULT_CRS = "EPSG:4326"


def utm_zone(lon: float) -> int:
    """The UTM zone number (1-60) of a longitude."""
    return min(60, max(1, int((lon + 180.0) // 6.0) + 1))


def _warn_if_many_utm_zones(records: Sequence[ItemRecord], crs: CRS) -> None:
    zones = sorted({utm_zone((r.bbox[0] + r.bbox[2]) / 2) for r in records})
    if len(zones) > 1:
        warnings.warn(
            f"the Items span {len(zones)} UTM zones ({zones[0]} to {zones[-1]}) but the "
            f"projected CRS {crs.to_string()} is requested: chips far from its zone are warped "
            "heavily; use crs='EPSG:4326' (the default) for a global catalog",
            UserWarning,
            stacklevel=3,
        )


class GaiaGeoDataset(RasterDataset):
    """Georeferenced (GeoTIFF/COG) Items of a catalog, sampled by space and time.

    The index is torchgeo 0.8's: a GeoDataFrame of raster footprints in ``crs`` with a pandas
    IntervalIndex named ``datetime`` (the item's instant, or its start/end range), plus columns
    ``filepath``, ``id`` and ``position`` (times are naive UTC, like torchgeo's own datasets).
    Query it with a GeoSlice, or with torchgeo's
    RandomGeoSampler / GridGeoSampler. A sample is::

        {"image": Tensor[C, H, W], "crs": CRS, "bounds": GeoSlice,
         "text": list[str] (one caption per intersecting item, largest overlap first),
         "id": list[str]}

    Items that are not GeoTIFFs (PNG article images) are skipped: use GaiaCaptions for them.

    The default CRS is EPSG:4326 (longitude/latitude; ``res`` in degrees), which holds every
    Item of a global catalog without distortion beyond the usual plate carree; a projected CRS
    (a UTM zone, in metres) suits a regional catalog, and warns when the Items span more than
    one UTM zone (chips far from the zone are warped heavily, those across the globe absurdly).

    Example:
        >>> from torchgeo.samplers import RandomGeoSampler
        >>> ds = GaiaGeoDataset("catalogs/demo", split="train")  # doctest: +SKIP
        >>> utm = GaiaGeoDataset("catalogs/alps", crs="EPSG:32632", res=10.0)  # doctest: +SKIP
        >>> sample = ds[next(iter(RandomGeoSampler(ds, size=64, length=1)))]  # doctest: +SKIP

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        root: str | os.PathLike[str] = "catalogs/demo",
        split: str | None = "train",
        crs: CRS | str | int | None = DEFAULT_CRS,
        res: float | tuple[float, float] | None = None,
        bands: Sequence[int] | None = None,
        transforms: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        caption: CaptionChoice = "random",
        cache: bool = True,
        seed: int = 0,
        asset: str = "image",
    ) -> None:
        """Index the GeoTIFF items of a split.

        Args:
            root: a catalog directory, its ``catalog.json``, or a stac-geoparquet file.
            split: ``train``, ``validate`` (or ``val``), ``test``, ``unsplit`` or ``None`` (all).
            crs: the CRS to warp to: a ``CRS``, ``"EPSG:32633"`` or an EPSG code (default
                EPSG:4326, for global catalogs); ``None`` takes the first raster's CRS. A
                projected CRS warns (``UserWarning``) when the Items span several UTM zones.
            res: resolution in units of ``crs`` (default: the first raster's, warped to it;
                degrees for EPSG:4326).
            bands: 1-based band indexes (default: red, green, blue).
            transforms: a function that takes a sample dict and returns a transformed one.
            caption: as in :class:`GaiaCaptions`.
            cache: keep file handles open between queries.
            seed: the seed of the random caption choice.
            asset: the asset holding each Item's GeoTIFF (``visual`` for Sentinel-2 Items).

        Raises:
            EmptySplitError: if the split holds no GeoTIFF items.
            ImageReadError: if a raster cannot be opened.
            BandCountError: if the rasters' band counts do not fit ``bands`` or each other.
        """
        import rasterio
        from rasterio.errors import RasterioError
        from rasterio.vrt import WarpedVRT

        records = [r for r in load_records(root, asset) if r.is_geotiff]
        self.records: list[ItemRecord] = select_records(records, split, source=f"{root} (GeoTIFFs)")
        self.picker = CaptionPicker(caption, seed)
        self.picker.check(self.records)

        target: CRS | None = None if crs is None else CRS.from_user_input(crs)
        if target is not None and target.is_projected:
            _warn_if_many_utm_zones(self.records, target)
        crs = target
        self.paths = [r.href for r in self.records]
        self.transforms = transforms
        self.cache = cache
        self.bands = ()
        geometries, intervals, first_count, indexes = [], [], None, None
        for record in self.records:
            try:
                with rasterio.open(record.href) as src:
                    crs = crs or src.crs
                    with WarpedVRT(src, crs=crs) as vrt:
                        geometries.append(shapely.box(*vrt.bounds))
                        res = res or vrt.res
                    this = band_indexes(record, src.count, bands)
                    if first_count is not None and src.count != first_count and bands is None:
                        raise BandCountError(
                            record.id,
                            "assets.image",
                            f"{record.href!r} has {src.count} bands but {self.records[0].href!r} "
                            f"has {first_count}; chips merge across items, so pass bands=...",
                        )
                    first_count, indexes = first_count or src.count, indexes or this
            except RasterioError as err:
                raise ImageReadError(record.id, record.href, str(err)) from err
            # naive UTC, as torchgeo's own datasets index time, so that `&` and `|` combine
            start = record.start.tz_convert(None) if record.start is not None else pd.Timestamp.min
            end = record.end.tz_convert(None) if record.end is not None else pd.Timestamp.max
            intervals.append((start, end))
        self.band_indexes = indexes
        if res is not None:
            self._res = (res, res) if isinstance(res, int | float) else (res[0], res[1])
        index = pd.IntervalIndex.from_tuples(intervals, closed="both", name="datetime")
        self.index = GeoDataFrame(
            {
                "filepath": self.paths,
                "id": [r.id for r in self.records],
                "position": range(len(self.records)),
            },
            index=index,
            geometry=geometries,
            crs=crs,
        )

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch of the random caption choice (see :meth:`GaiaCaptions.set_epoch`)."""
        self.picker.set_epoch(epoch)

    def __getitem__(self, query: GeoSlice) -> dict[str, Any]:
        """Return the chip at ``query`` with the captions of the items it comes from.

        Raises:
            IndexError: if no item intersects ``query``.
        """
        x, y, t = self._disambiguate_slice(query)
        hits = self.index.iloc[
            self.index.index.overlaps(pd.Interval(t.start, t.stop, closed="both"))
        ]
        hits = hits.iloc[:: t.step].cx[x.start : x.stop, y.start : y.stop]
        if hits.empty:
            raise IndexError(f"query {query} not found in index with bounds {self.bounds}")
        window = shapely.box(x.start, y.start, x.stop, y.stop)
        overlap = hits.geometry.intersection(window).area.to_numpy()
        hits = hits.iloc[(-overlap).argsort(kind="stable")]
        data = self._merge_files(list(hits.filepath), query, self.band_indexes)
        positions = [int(p) for p in hits.position]
        sample: dict[str, Any] = {
            "image": data.float(),
            "crs": self.crs,
            "bounds": query,
            "text": [self.picker.choose(self.records[p], p) for p in positions],
            "id": [self.records[p].id for p in positions],
        }
        if self.transforms is not None:
            sample = self.transforms(sample)
        return sample
