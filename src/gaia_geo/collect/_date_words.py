"""The cue words of a date's clause: an acquisition (strong), a picture (weak), another event.

Part of :func:`gaia_geo.collect._dates.find_dates`, which classifies each date by the nearest
cue word of its clause. English and the languages space agencies publish in are one pattern;
pages not in English are scanned with the other national languages' words too, and texts with
a date in Devanagari with the Hindi words (which the patterns' fast path cannot look for).
"""

from __future__ import annotations

import re

from .._regex import CaselessPattern
from . import _date_languages as _lang

_STRONG = (
    r"acquired|aquired|acquisition|captured|captures|collected|taken|"
    r"took(?! place|[- ]off| flight)|photographed|imaged|observed|recorded|snapped|shot|"
    r"obtained|seen|appeared|passed over|"
    r"overpass|overflew|flew over|"
    r"stitched|composited|combined|spotted|detected|revealed|showed|displayed|depicted|imaging|"
    rf"collect|capture|{_lang.STRONG}"
)
_WEAK = (
    r"images?|imagery|photos?|photographs?|pictures?|views?|scenes?|shows?|showing|pictured|"
    rf"data|mosaic|composite|satellite|afternoon|morning|evening|night|{_lang.WEAK}"
)
_NEGATIVE = (
    r"launch(?:ed|es)?|began|begun|begin|started|starts?|made landfall|landfall|struck|hit|"
    r"erupted|eruption|reported|announced|published|founded|built|since|until|will|planned|"
    r"scheduled|record|decommissioned|retired|according|effects|declared|occurred|happened|"
    r"died|born|formed|peaked|ended|opened|signed|expected|shared|posted|released|tweeted|"
    r"updated|created|downloaded|handed|celebrated|anniversary|accessed|arrived|added|became|followed|stopped|"
    r"made available|handout|"
    r"requested|activated|"
    r"took place|takes place|take place|broke out|first appeared|extinguished|"
    r"took[- ]off|took flight|lifted off|lift-?off|blasted off|"
    r"presented|presentation|meeting|conference|symposium|workshop|paper|publication|written|"
    rf"ever recorded|on record|{_lang.NEGATIVE}"
)
_CUE = CaselessPattern(rf"\b(?P<strong>{_STRONG})\b|\b(?P<weak>{_WEAK})\b|\b(?P<neg>{_NEGATIVE})\b")
#: ``_CUE`` with the words of the other national languages, for pages not in English.
_CUE_WORLD = CaselessPattern(
    rf"\b(?P<strong>{_STRONG}|{_lang.STRONG_MORE})\b|\b(?P<weak>{_WEAK}|{_lang.WEAK_MORE})\b|"
    rf"\b(?P<neg>{_NEGATIVE}|{_lang.NEGATIVE_MORE})\b"
)
#: ... and the Hindi words, for texts with a date in Devanagari (no fast path).
_CUE_HINDI = CaselessPattern(
    rf"\b(?P<strong>{_STRONG}|{_lang.STRONG_MORE}|{_lang.HINDI_STRONG})\b|"
    rf"\b(?P<weak>{_WEAK}|{_lang.WEAK_MORE}|{_lang.HINDI_WEAK})\b|"
    rf"\b(?P<neg>{_NEGATIVE}|{_lang.NEGATIVE_MORE}|{_lang.HINDI_NEGATIVE})\b"
)
#: A Devanagari letter (a date written with a Hindi month).
_DEVANAGARI = re.compile("[\u0900-\u097f]")
