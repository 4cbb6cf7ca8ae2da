"""Dates of Japanese, Chinese and Korean pages, and whether each is a picture's.

JAXA, the Chinese and Korean agencies publish their image stories in their own languages, with
dates written as numbers and unit characters: "2006年2月24日" (Japanese and Chinese), "2011년 3월
12일" (Korean), "12月6日" without its year, and Japanese era years ("平成23年3月12日", the 23rd
year of Heisei: 2011). These languages put the verb after its date
("2006年2月24日に...観測した", "2011年3月12日拍摄的影像", "2011년 3월 12일 촬영한"), or a label
before it ("観測日: 2006年2月24日"),
so the words after a date, up to the next date or the sentence's end, say what happened then.
Part of :mod:`gaia_geo.collect._date_formats` (the patterns) and
:func:`gaia_geo.collect._dates.find_dates` (the roles).
"""

from __future__ import annotations

import re
from typing import Literal

#: First year of each Japanese era, less one: "平成元年" (its first year) is 1989.
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_M = r"(?P<m>1[0-2]|0?[1-9])\s*[月월]"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])\s*[日일]"
#: The first day of a span, its unit left to the last ("2024年1月1~15日").
_D_FROM = r"(?P<d>3[01]|[12]\d|0?[1-9])\s*[日일]?"
#: The year with its unit: written out, or an era's ("平成23年", "令和元年").
_ERA_YEAR = r"(?P<era>明治|大正|昭和|平成|令和)(?P<ey>[1-9]\d?|元)年"
_TO_DAY = (
    r"\s*(?:から|より|～|〜|~|-|–|至|到|부터)\s*(?:(?P<m2>1[0-2]|0?[1-9])\s*[月월]\s*)?"
    r"(?P<d2>3[01]|[12]\d|0?[1-9])\s*[日일](?!間)"
)
#: (pattern, kind): a day, a month, a year ("2022年の噴火": it lends its year), a day without its
#: year; the year of a written-out date is
#: ``y`` (no digit before it: "は2018年" has no word boundary between the two).
PATTERNS = (
    # a span of days: "2018年1月1日から6日", "1月1日～1月6日", "3월 1일부터 5일" (not "5日間"),
    # "2024年1月1~15日"
    (rf"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)\s*[年년]\s*{_M}\s*{_D_FROM}{_TO_DAY}", "cjk"),
    (rf"{_ERA_YEAR}\s*{_M}\s*{_D_FROM}{_TO_DAY}", "cjk"),
    (rf"(?<![\d年년])(?<![\d年년]\s){_M}\s*{_D_FROM}{_TO_DAY}", "cjk-noyear"),
    # last year's day: "昨年3月8日", "去年3月8日", "작년 3월 8일", "지난해 3월 8일"
    (rf"(?P<last>昨年|去年|작년|지난해)\s*{_M}\s*{_D}", "cjk-noyear"),
    (rf"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)\s*[年년]\s*{_M}\s*{_D}", "cjk"),
    (rf"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)\s*[年년]\s*{_M}(?!\s*\d)", "cjk-m"),
    (r"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)\s*[年년](?!\s*\d)", "cjk-y"),
    (rf"{_ERA_YEAR}\s*{_M}\s*{_D}", "cjk"),
    (rf"(?<![\d年년])(?<![\d年년]\s){_M}\s*{_D}", "cjk-noyear"),
)
#: Where a CJK date may be: a month or era character (the anchors of the date scan).
ANCHOR = r"|月(?<=\d月)|월(?<=\d월)|平成|令和|昭和"

#: A date that a launch verb follows: "平成29年12月23日に打ち上げた", "2023年8月9日发射",
#: "2018년 12월 4일 발사된" (matched from the date's start); its year lends none to a day
#: written without one, as an English launch's ("launched in May 2017") does not.
LAUNCH_AFTER = re.compile(
    r"(?:明治|大正|昭和|平成|令和)?[\d\s元年月日년월일]{2,16}[にへ]?\s*(?:打ち?上げ|発射|发射|發射|발사)"
)
#: Words of an acquisition: "観測" (observed), "撮影" (photographed), "取得" (acquired), Chinese
#: "拍摄" / "获取" / "成像", Korean "촬영" / "관측" / "획득"; never a ground station's
#: ("観測所", "观测站", "관측소": a river gauge observed the flood), nor a request for one.
_STRONG = (
    r"(?:観測|观测|觀測)(?![所点局站]|の?(?:依頼|要請))|관측(?!소)|撮影|撮像|取得|拍摄|拍攝|获取|獲取|成像|"
    r"촬영|획득|수집"
)
#: Image and data words: "画像", "影像", "图像", "이미지", "영상", "データ", "数据", "데이터".
_WEAK = r"画像|映像|影像|图像|圖像|写真|이미지|영상|사진|データ|数据|數據|데이터|자료"
#: Events, launches and publications: "発生" (occurred), "上陸" (landfall), "打ち上げ"
#: (launch), "掲載" / "更新" (posted, updated), Chinese "登陆", "喷发", "发射", "发布",
#: Korean "상륙", "분화", "발사", "게시"; requests for an observation ("緊急観測の依頼", made
#: before it) ...
_NEGATIVE = (
    r"依頼|要請|请求|請求|요청|発生|上陸|打ち上げ|打上げ|発射|発表|公開|公表|掲載|更新|噴火し|地震が|"
    r"发生|發生|登陆|登陸|喷发|噴發|爆发|爆發|发射|發射|发布|發布|发表|發表|公布|"
    r"발생|상륙|분화|폭발|발사|발표|게시|공개"
)
#: An acquisition verb in a clause that ends at the date it modifies: "観測した8月18日の
#: データ" (the data of August 18, when it was observed), "촬영한 2020년 8월 5일".
_VERB_BEFORE = re.compile(rf"(?:{_STRONG})(?:した|された|し|され|する|한|된|하는|的)\s*$")
#: The date names the image right after it: "2008年5月6日の画像" (the image of May 6, 2008),
#: "2011年3月12日的影像", "2020년 8월 5일 영상", a weekday between them ("2月7日(日)の画像").
_IMAGE_OF = re.compile(rf"\s*(?:[(（][^)）]{{1,4}}[)）])?\s*(?:の|的|의)?\s*(?:{_WEAK})")
#: A line of a date and a noun ending in an image word: the caption of the picture under it
#: ("2017年1月22日洞庭湖影像", the image of Dongting Lake of that day; "2020년 8월 5일 한강 영상").
_CAPTION = re.compile(rf"[ \t]*[^\s\d。，、,.:：]{{0,12}}?(?:{_WEAK})[ \t]*(?:\n|$)")
#: "截至", "截止" (as of): the day a tally was made ("截至2021年7月21日,已成像2次").
_AS_OF = ("截至", "截止")
_CUE = re.compile(rf"(?P<strong>{_STRONG})|(?P<weak>{_WEAK})|(?P<neg>{_NEGATIVE})")
#: A label before the date: "観測日: ", "撮影日時：", "拍摄时间:", "촬영일: ", "拍摄于".
_LABEL = re.compile(
    rf"(?:(?:{_STRONG})(?:日時?|日期|时间|時間|일)\s*[:：]?|(?:{_STRONG})(?:于|於))\s*$"
)
#: Words that join two dates sharing the verb after the second: "2018年8月20日と2018年12月24日
#: された観測画像", "3月1日及び3月5日", "3월 1일과 5일".
_JOINS = re.compile(
    r"\s*(?:[(（][^()（）\n]{1,8}[)）])?"  # "2022年4月6日（地震前）と2023年2月8日（地震後）の"
    r"[\s、,，]*(?:と|および|及び|和|与|與|及|와|과|및|から|～|〜|~|-|–|至)?[\s、,，]*"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")

Role = tuple[Literal["acquisition", "other", "rejected"], str, Literal["strong", "weak", "none"]]


def era_year(groups: dict[str, str | None]) -> int | None:
    """The year an era date writes ("平成23年": 2011), else None."""
    era = groups.get("era")
    if not era:
        return None
    number = groups.get("ey") or "1"
    return ERAS[era] + (1 if number == "元" else int(number))


def classify(text: str, begin: int, finish: int, later: list[tuple[int, int]]) -> Role:
    """Role of the CJK date at ``text[begin:finish]``: a label before it, else the words after.

    Args:
        text: the article text.
        begin: where the date starts.
        finish: where it ends.
        later: the spans of the dates after it, in order.
    """
    if _LABEL.search(text, max(0, begin - 12), begin):
        return "acquisition", "label", "strong"
    if text.endswith(_AS_OF, max(0, begin - 3), begin):  # "截至2021年7月21日": a tally's day
        return "other", "as of", "strong"
    if _CAPTION.match(text, finish) and not text[text.rfind("\n", 0, begin) + 1 : begin].strip():
        return "acquisition", "the caption of an image", "strong"
    if _VERB_BEFORE.search(text, max(0, begin - 8), begin):
        return "acquisition", "the verb of its clause", "strong"
    if _IMAGE_OF.match(text, finish):
        return "acquisition", "the image of the date", "strong"
    stop, at = len(text), finish
    for start, end in later:  # dates joined by "と" share the verb after the last
        if _JOINS.fullmatch(text, at, start) is None:
            stop = start
            break
        at = end
    sentence_end = _SENTENCE_END.search(text, at)
    stop = min(stop, sentence_end.start() if sentence_end else len(text))
    cues = list(_CUE.finditer(text, finish, stop))
    for cue in cues:  # the first verb after the date is its own
        if cue.group("neg"):
            return "other", cue.group(0), "strong"
        if cue.group("strong"):
            return "acquisition", cue.group(0), "strong"
    if cues:
        return "acquisition", cues[0].group(0), "weak"
    return "other", "no acquisition cue in its clause", "none"
