"""The embedded demo: a seeded sample that ``make demo`` turns into ``catalogs/demo`` offline."""

from ._build import DEMO_TIME, build_demo, demo_items
from ._sample import SampleRecord, sample_records

__all__ = ["DEMO_TIME", "SampleRecord", "build_demo", "demo_items", "sample_records"]
