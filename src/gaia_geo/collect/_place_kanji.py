"""Japan's own mountains, islands, peninsulas, bays and towns, named in kanji in Japanese prose.

Part of :func:`gaia_geo.collect.extract_metadata` (``_gazetteer_names.scripted_places`` calls
it). JAXA's and Japanese newspapers' pages name the volcano, island or town they imaged far
more often than its prefecture: "浅間山" (Mount Asama), "新燃岳" (Shinmoedake), "伊豆大島",
"能登半島" (the Noto Peninsula), "多賀城市". No open table gives those names in kanji, but
Japanese writes them by one rule: a kanji stem and a kind word (山 mountain, 岳 peak, 島
island, 半島 peninsula, 湾 bay, 湖 lake, 市 city). Japanese writes foreign places in katakana
("キラウエア火山", "ハワイ島"), so a kanji name of that form in a Japanese text is Japan's; the
exceptions are China's, Korea's and Taiwan's places, whose names the CLDR tables find first
(a match overlapping one is dropped) or open with a country's short name ("朝鮮半島").
"""

from __future__ import annotations

import re

#: Hiragana: the text is Japanese (Chinese writes kanji without it).
_HIRAGANA = re.compile("[\u3041-\u309f]")
#: A kanji stem of one to four letters and a kind word, not right after another kanji (a date's
#: "年", "月" or "日" may come right before: "令和6年能登半島地震").
_KANJI_NAME = re.compile(
    "(?:(?<![\u4e00-\u9fff\u3005])|(?<=[年月日]))(?![年月日])"
    "[\u4e00-\u9fff\u3005\u30f6\u30ce]{1,4}?(?:半島|山|岳|島|湾|湖|市)"
)
#: Common words of that form ("火山" volcano, "海底火山", "氷河湖" glacial lake, "都市" city,
#: "列島" archipelago, "同市" the same city), and names of island groups, which may hold
#: other countries' islands ("千島列島", "南沙諸島"): no one place of Japan's.
_WORD_ENDINGS = (
    "火山", "氷山", "鉱山", "登山", "下山", "沢山", "海山", "雪山", "岩山", "山岳", "列島",
    "諸島", "群島", "本島", "離島", "孤島", "全島", "人工島", "新島", "同島", "氷河湖", "塩湖",
    "湖沼", "港湾", "都市", "同市", "各市", "当市", "本市", "同山",
)  # fmt: skip
#: Stems that name another country or a pole ("朝鮮半島" the Korean Peninsula, "南極半島").
_FOREIGN_HEADS = ("朝鮮", "南極", "北極")


def japanese_features(
    text: str, found: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """Kanji names of Japan's features and towns in a Japanese ``text``, ``found`` aside.

    Args:
        text: the article.
        found: the names already found in it (``(start, end, ISO code, kind)``).

    Returns:
        ``(start, end, "JP", "feature")`` per name, none of them overlapping ``found``.
    """
    if _HIRAGANA.search(text) is None:
        return []
    out = []
    for match in _KANJI_NAME.finditer(text):
        start, end = match.span()
        name = match.group(0)
        if name == "半島" or name.endswith(_WORD_ENDINGS) or name.startswith(_FOREIGN_HEADS):
            continue
        if any(s < end and start < e for s, e, _, _ in found):
            continue
        out.append((start, end, "JP", "feature"))
    return out
