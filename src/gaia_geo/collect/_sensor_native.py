"""Sensor names in kana, CJK ideographs, Hangul, Cyrillic, Devanagari and Thai scripts.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_sensors``): "아리랑 2호가
촬영한" (KOMPSAT-2 took), "だいち2号が観測した" (ALOS-2 observed), "高分三号卫星拍摄" (Gaofen-3
photographed), as JAXA, CNSA, NSPO and KARI pages write them; "Метеор-М № 2", "सुओमी एनपीपी
उपग्रह" (Suomi NPP satellite) in Russian and Hindi pages. The ASCII first-token index of
``_sensor_aliases`` cannot see these names (CJK scripts put no space between words): one
pattern of every such registry alias finds them, tried only on a text that holds one of those
scripts. A name's sentence says whether it took the picture (a verb of imaging in the same
script) or only was launched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..sensors import Sensor, normalize_name
from ..sensors._registry import NATIVE_SCRIPT, alias_table

_NATIVE = re.compile(f"[{NATIVE_SCRIPT}]")
#: A sentence of those scripts ends at a full stop of theirs (the Devanagari danda) or of Latin
#: script, or a line break.
_END = re.compile(r"[\u3002\uff01\uff1f\u0964\u0965\n]|[.!?](?=\s)")
#: Words that say something was imaged: photographed, observed, image (Japanese, Korean,
#: Chinese; kanji shared by Japanese and Chinese once; Russian, Hindi, Thai).
_IMAGED = re.compile(
    "撮影|撮像|観測|画像|映像|촬영|관측|영상|사진|拍摄|拍攝|观测|觀測|影像|图像|圖像|成像|获取|獲取"
    "|снимок|снимк|снял|снят|изображени|съемк|съёмк|запечатле"
    "|तस्वीर|छवि|चित्र|कैद|ภาพ|ถ่าย"
)
#: Words of taking the picture, stronger evidence than an image noun.
_TOOK = re.compile(
    "撮影|撮像|観測|촬영|관측|拍摄|拍攝|观测|觀測|成像|获取|獲取"
    "|снял|снята|снят |сделал|запечатле|तस्वीर ली|तस्वीर खींची|कैद कि|ถ่ายภาพ|บันทึกภาพ"
)
#: A launch: "打ち上げ", "発射", "발사", "发射", "發射", "запуск", "प्रक्षेपण", "ปล่อย".
_LAUNCH = re.compile("打ち上げ|発射|발사|发射|發射|запуск|запущен|प्रक्षेपण|ปล่อยดาวเทียม")


def has_native_script(text: str) -> bool:
    """Whether ``text`` holds one of those scripts."""
    return not text.isascii() and _NATIVE.search(text) is not None


def native_cues(sentence: str) -> tuple[bool, bool]:
    """Whether a sentence says in those scripts that something was imaged, and that it was taken.

    "高性能可視近赤外放射計2型(AVNIR-2)が...観測した": a name in Latin letters in such a
    sentence took the picture as much as a native one.
    """
    return _IMAGED.search(sentence) is not None, _TOOK.search(sentence) is not None


#: Scripts that separate words by spaces: a name starts a word there ("МКС", not inside one).
_WORD_START = {"cyrillic": "(?<![\u0400-\u04ff])", "devanagari": "(?<![\u0900-\u097f])"}


def _script(char: str) -> str:
    if "\u0400" <= char <= "\u04ff":
        return "cyrillic"
    return "devanagari" if "\u0900" <= char <= "\u097f" else ""


#: Numbers in CJK ideographs and their digits: "高分三号" is written "高分3号" as often, "吉林一号"
#: "吉林1号" in Japanese pages.
_CJK_DIGITS = dict(zip("一二三四五六七八九", "123456789", strict=True))
_DIGIT_CJK = {digit: ideograph for ideograph, digit in _CJK_DIGITS.items()}
#: A Korean satellite's number is written with its counter "호" or without it ("천리안위성 2A호",
#: "‘천리안위성 2A’"): the counter may be left out where no letter or digit follows.
_COUNTER = re.compile(r"(?<=[0-9A-Za-z])호$")


def _char(alias: str, index: int) -> str:
    char = alias[index]
    if char in _CJK_DIGITS:
        return f"[{char}{_CJK_DIGITS[char]}]"
    if char in _DIGIT_CJK and alias[index + 1 : index + 2] in ("号", "號"):
        if not alias[index - 1 : index].isdigit():
            return f"[{char}{_DIGIT_CJK[char]}]"
    if char in ("号", "號"):  # (simplified and traditional script alike)
        return "[号號]"
    return re.escape(char)


def _body(alias: str) -> str:
    """An alias's pattern: a space may stand between any two characters, or none."""
    alias = "".join(c for c in alias if not c.isspace())
    if _COUNTER.search(alias):
        return (
            r"[\s\-]?".join(_char(alias, i) for i in range(len(alias) - 1))
            + r"(?:\s?호|(?![0-9A-Za-z]))"
        )
    return r"[\s\-]?".join(_char(alias, i) for i in range(len(alias)))


def _canonical(name: str) -> str:
    """A name as the table of :func:`_native_aliases` keeps it: digits, no counter "호"."""
    return _COUNTER.sub("", normalize_name(name)).translate(_TO_DIGITS)


_TO_DIGITS = str.maketrans({**_CJK_DIGITS, "號": "号"})
#: A name compared with, not taking the picture: "천리안1호에 비해" (compared with Chollian-1),
#: "ひまわり7号に比べ", "与风云二号相比".
_COMPARED = re.compile(
    r"\s?(?:에\s?비(?:해|하여)|보다|[과와]\s?비교|[にと]比べ|と比較|相比|相较|相較)"
)


@functools.cache
def _native_aliases() -> tuple[re.Pattern[str] | None, dict[str, Sensor]]:
    """One pattern of every alias in those scripts (longest first), and the aliases' sensors."""
    table = {
        _canonical(alias): sensor
        for alias, sensor in alias_table().items()
        if _NATIVE.search(alias)
    }
    spellings = sorted(
        {a for s in table.values() for a in s.aliases if _NATIVE.search(a)}, key=len, reverse=True
    )
    # a space may stand between any two characters ("아리랑 2호", "아리랑2호"); case is a letter's
    bodies = [_WORD_START.get(_script(a[0]), "") + _body(a) for a in spellings]
    if not bodies:
        return None, table
    return re.compile("|".join(bodies), re.IGNORECASE), table


def native_mentions(text: str) -> Iterator[tuple[Sensor, tuple[int, int], bool, bool]]:
    """``(sensor, span, weak, took)`` of each native-script sensor name in ``text``.

    For a text :func:`has_native_script` said holds those scripts.

    ``weak``: no word of its sentence says something was imaged; ``took``: a verb says it was
    taken. A name in a sentence of its launch that says nothing of imaging is left out.
    """
    pattern, table = _native_aliases()
    if pattern is None:
        return
    for match in pattern.finditer(text):
        sensor = table.get(_canonical(match.group(0)))
        if sensor is None:  # pragma: no cover  (every spelling is an alias of the table)
            continue
        if _COMPARED.match(text, match.end()):
            continue
        start = max((m.end() for m in _END.finditer(text, 0, match.start())), default=0)
        end_match = _END.search(text, match.end())
        sentence = text[start : end_match.start() if end_match else len(text)]
        took = _TOOK.search(sentence) is not None
        if _LAUNCH.search(sentence) and not took:
            continue
        yield sensor, match.span(), _IMAGED.search(sentence) is None, took
