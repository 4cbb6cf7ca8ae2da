"""The sensor registry: platforms, instruments, GSD and the names RS articles use for them.

The registry is data (``sensors.csv`` beside this module), not code: add a row to add a sensor.

Example:
    >>> from gaia_geo.sensors import lookup_sensor
    >>> sensor = lookup_sensor("OLI on Landsat 8")
    >>> sensor.platform, sensor.instruments, sensor.gsd, sensor.resolution_class
    ('landsat-8', ('oli', 'tirs'), 30.0, 'Moderate')
"""

from ._registry import (
    RESOLUTION_CLASSES,
    ResolutionClass,
    Sensor,
    all_sensors,
    get_sensor,
    lookup_sensor,
    normalize_name,
    resolution_class,
)

__all__ = [
    "RESOLUTION_CLASSES",
    "ResolutionClass",
    "Sensor",
    "all_sensors",
    "get_sensor",
    "lookup_sensor",
    "normalize_name",
    "resolution_class",
]
