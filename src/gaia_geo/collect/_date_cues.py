"""Cues of the acquisition date that need more than a cue word (used by ``_dates``).

"observations on 2 March" (an observation with its own date, not one presented at a meeting on
it), "the last image is February 25th", "shows the same area on February 1, 2018", two dates on
lines of their own under a title (a before/after pair), "Jan Mayen" (a name, not January);
and what a date is when it is not the picture's: an event the picture shows ("images showed that
an iceberg had calved by 12 July") or follows ("one week after the March 8 eruption"), a
publication ("Posted on", a dateline alone on its line, an embedded post's "(@NASA) November 20,
2018"), against the labels that announce an acquisition date ("Date Acquired:").
"""

from __future__ import annotations

import calendar
import re

from .._regex import CaselessPattern
from ._date_names import WEEKDAY_PATTERN

_FULL_MONTHS = frozenset(name.lower() for name in calendar.month_name if name)
#: "observations on 2 March", "the 2 March observations": an observation with its own date (an
#: observation named elsewhere in the clause may be one presented at a meeting on that date).
OBSERVATION_BEFORE = re.compile(
    r"\bobservations?\s+(?:(?:made|acquired|taken)\s+)?(?:on|of|from|dated)\s+(?:the\s+)?$", re.I
)
OBSERVATION_AFTER = re.compile(r",?\s+observations?\b", re.I)
#: "the last image is February 25th": an image word naming the date outright.
IMAGE_IS_BEFORE = re.compile(
    r"\b(?:images?|scenes?|photos?|pictures?|views?)\s+(?:is|was|are|were)\s+"
    r"(?:(?:from|of|on|dated)\s+)?$",
    re.I,
)
#: "the last image is from February 25th", "the first image in the slideshow is from January
#: 3rd", "the final image on December 27": an image's own date, however the clause goes on
#: (and "This Landsat 8 image\nfrom May 24th" in text wrapped at a fixed width; "the one on the
#: right is from": the other picture of a pair; "a Landsat TM scene of 11 May 1993": one picture,
#: not "the images of 24 May", some of a span).
IMAGE_DATED_BEFORE = re.compile(
    r"\b(?:images?|imagery|scenes?|photos?|photographs?|pictures?"
    r"|(?<=the )one(?= on the (?:left|right|top|bottom)))\b"
    r"(?:(?:[ \t]+[\w-]+){0,4}?[ \t]+(?:is|was|are|were)(?:[ \t]+(?:from|of|on|dated))?"
    r"|(?:[ \t]+|[ \t]*\n(?-i:(?=[a-z])))(?:from|on|dated)|(?<![sS])[ \t]+of)[ \t]+$",
    re.I,
)
#: A caption's "image of <a name> on/from <date>" ("A radar image of Mount Etna on 3 May
#: 2021"), unless a verb of sharing governs it ("shared this image of Dublin on March 17").
IMAGE_OF_NAME_BEFORE = re.compile(
    r"\b(?:images?|scenes?|photos?|photographs?|pictures?)[ \t]+of(?:[ \t]+the)?"
    r"(?:[ \t]+(?-i:[A-Z])[\w'’.-]*){1,4}[ \t]+(?:from|on|dated)[ \t]+$",
    re.I,
)
_SHARED = re.compile(r"\b(?:shared|posted|released|published|tweeted)\b", re.I)
#: Letters one of which any match of ``IMAGE_DATED_BEFORE`` holds (a scan far cheaper, tried
#: first).
IMAGE_HINT = re.compile("mage|MAGE|cene|CENE|hoto|HOTO|icture|ICTURE|one on the")


#: The words both patterns above end with, before spaces.
IMAGE_DATED_TAILS = ("is", "was", "are", "were", "from", "of", "on", "dated")
#: "before (October 4, 2022) and after (February 7, 2023)": the label of one picture of a pair.
_PAIR_LABEL = re.compile(r"\b(?:[Bb]efore|[Aa]fter)[ \t]*\($")
#: "three ASAR acquisitions (9 January 2007, 13 February 2007 and 20 November 2007)", "OLCI
#: image (01.04.2017)": the brackets after an image word list its dates.
_IMAGES_BRACKETED = re.compile(
    r"\b(?:images?|imagery|scenes?|acquisitions?|photos?|photographs?|pictures?)[ \t]*\($", re.I
)
#: A word in lowercase but "and" between the brackets and a date: not a list of dates ("imagery
#: (for example on 2 August)").
_WORDS_BETWEEN = re.compile(r"\b(?!and\b)[a-z]{2,}")


def image_dated_before(text: str, begin: int, rest: str | None = None) -> bool:
    """Whether an image word names the date at ``begin`` as its own ("the image is from").

    Or a pair's label does ("before (October 4, 2022) and after (February 7, 2023)"), or it is
    in the brackets after an image word ("three acquisitions (20 January 2009, 24 February 2009
    and 31 March 2009)").

    ``rest``: the ASCII text before the date, lowercased, without its trailing spaces (5
    characters at least, or all of it): but for those brackets, it must end with one of
    ``IMAGE_DATED_TAILS``.
    """
    low = max(0, begin - 60)
    opened = text.rfind("(", low, begin)
    if opened > 0 and (
        (opened == begin - 1 and _PAIR_LABEL.search(text, max(0, begin - 8), begin))
        or (
            text.find(")", opened, begin) < 0
            and _WORDS_BETWEEN.search(text, opened, begin) is None
            and _IMAGES_BRACKETED.search(text, max(0, opened - 16), opened + 1)
        )
    ):
        return True
    if rest is not None and len(rest) >= 5 and not rest.endswith(IMAGE_DATED_TAILS):
        return False  # (its last 5 characters are the text's: the test is exact)
    if not IMAGE_HINT.search(text, low, begin):
        return False
    if IMAGE_DATED_BEFORE.search(text, low, begin):
        return True
    return bool(
        text.find(" of ", low, begin) >= 0  # (a cheaper scan first)
        and IMAGE_OF_NAME_BEFORE.search(text, low, begin)
        and not _SHARED.search(text, low, begin)
    )


#: "shows the same area on February 1, 2018": the second picture of a pair ("the same area was
#: flooded on" is an event).
SAME_SCENE_BEFORE = re.compile(
    r"\b(?:shows?|showing|shown|depicts?|of|views?|captures?|captured|imaged|seen)\s+the same "
    r"(?:area|region|scene|place|location|spot|site)\s+(?:(?:on|in|from|as of)\s+)?$",
    re.I,
)
#: "images reveal that the ice has retreated ... between January 2001 and October 2013",
#: "images showed that an iceberg had calved by 12 July": what a picture shows happened then.
REPORTED_BEFORE = re.compile(
    r"\b(?:show(?:s|ed|n)?|reveal(?:s|ed)?|indicate[sd]?|suggest(?:s|ed)?|confirm(?:s|ed)?)"
    r"\s+that\b",
    re.I,
)
#: "after" between an acquisition cue and a date, either right before it ("one week after the
#: March 8 eruption") or opening a clause whose verb comes before it ("after a rig exploded and
#: sank ... on 22 April"): the date is of the event the picture follows, not the picture's
#: ("taken after the storms on 28th March" is the picture's, and so is "shortly after it passed
#: over on 5 May").
AFTER_EVENT = re.compile(
    r"(?<!before and )\bafter\b(?:\s+(?:the|an?))?\s*$|(?<!before and )\bafter\b[^.;]*?\s"
    r"(?:(?:was|were|had)\s+)?(?:(?!passed|orbited|overflew)(?-i:[a-z]+ed)|sank|hit|struck|fell|broke|began|blew|swept|tore|"
    r"shook|rose|burst|spread|came|went|made)\s",
    re.I,
)
DATE_LINE = re.compile(
    r"[ \t]*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
    r"[ \t]*(?:\n|$)"
)
#: Dates whose year is not that of the story's dates written without one: a site's update stamp
#: ("Last update: December 13th, 2019"), often years after the story (a news story's own
#: "Updated: May 5" is not one), and the start of a
#: period ("the March 8 eruption, the latest since the reawakening in September 2004").
LENDS_NO_YEAR = CaselessPattern(
    r"\blast (?:update[ds]?|modified|revised)\s*(?:on|:)?\s*$|\bsince\b[^.;\n]{0,50}$"
)
#: A launch's date ("Launched in March 2018, GOES-17 ... The imagery from January 13"): the
#: pictures are often years later, so where the publication's year is known it lends none.
LAUNCH_BEFORE = CaselessPattern(r"\blaunch(?:ed)?(?: in| on)?\s*$")
#: A number after "more than", "about" is a count, not a year ("more than 2000 hectares", "mer
#: enn 2000 mennesker", "plus de 2000 personnes"), in the languages of the month names.
COUNT_BEFORE = re.compile(
    r"(?:more than|over|about|around|nearly|almost|some|approximately|mehr als|über|rund|"
    r"plus de|environ|près de|más de|unos|unas|cerca de|più di|circa|oltre|mais de|cerca de|"
    r"meer dan|ruim|mer enn|mer än|över|omkring|ponad|około|lebih dari|sekitar|hampir)\s*$",
    re.IGNORECASE,
)
#: Parts of words one of which any match of ``LENDS_NO_YEAR`` holds (tried first: cheaper).
LENDS_NO_YEAR_WORDS = ("since", "Since", "SINCE", "last", "Last", "LAST")
#: "on Aug. 19 at 0000 UTC (Aug. 18 at 8 p.m. EDT)": the same moment again, in local time.
LOCAL_TIME_BEFORE = re.compile(r"(?:UTC|GMT|\dZ)\s*\(\s*$")
#: "(left)", "Right: ...", "(before)": the date of one picture of a pair.
SIDE = re.compile(
    r"\s*[,;]?\s*\((?:left|right|top|bottom|upper|lower)\b|\s*\((?:before|after)\)", re.I
)
SIDE_BEFORE = CaselessPattern(
    r"\b(?:left|right|center|top|bottom|upper|lower)\s*:\s*[^.\n]{0,60}$"
    r"|\((?:left|right|top|bottom|upper|lower)\)[^.\n]{0,30}$"
)
#: "the October 4 ASTER image", "the August 17 and September 18 images": a date naming an image.
NAMES_IMAGE_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hese|[Tt]heir|[Ii]ts)|\d(?:st|nd|rd|th)?\s*(?:,|and|&))\s+$"
)
NAMES_IMAGE_AFTER = re.compile(
    r"(?:\s*(?:,|and|&)\s*(?:[A-Z][a-z]{2,8}\.?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)*,?\s+"
    r"(?:(?:[A-Z0-9][\w+-]*|(?:true|false|natural)-colou?r|thermal|infrared|visible|satellite|"
    r"radar|optical|multispectral|nighttime|daytime|composite)\s+){0,4}"
    r"(?:images?|scenes?|photos?|photographs?|pictures?|views?|mosaics?|acquisitions?)\b"
)
#: Cue words of an event the picture may show (an eruption, a landfall, a fire that started):
#: with no date cued as the picture's, the event's stands in ("images showed the volcanic cloud
#: following an eruption ... on 19 September 2021", "captured ... four hours after it started on
#: Nov. 8, 2018"). Launches, releases and publications never do.
EVENT_REASONS = frozenset(
    {
        "erupted", "eruption", "began", "begun", "begin", "started", "starts", "start",
        "landfall", "made landfall", "struck", "hit", "occurred", "happened", "record",
        "formed", "peaked", "broke out", "took place", "takes place", "take place",
    }
)  # fmt: skip
#: Events of a day that pictures of the day show as they happen (an eruption, a landfall, an
#: earthquake that struck): with no date cued as a picture's, their day stands in. Not the start of
#: something longer ("began", "broke out"), whose pictures come later, nor a launch ("took place").
EVENTS_OF_THE_DAY = frozenset(
    {"occurred", "happened", "erupted", "eruption", "landfall", "made landfall", "struck", "hit"}
)  # fmt: skip
#: "images before and after the fire", "observations since the occurrence of the earthquake",
#: "one month after the launch": pictures timed by an event, so not taken on its day.
PICTURES_AROUND_EVENT = re.compile(r"\b(?:before|after|since) (?:the|its|it)\b", re.I)
#: "made in late November 1998 before the eruption, in late December 1998 during the eruption":
#: an event after "before"/"during"/"after" and then a comma or "and" times the date before it,
#: so it gives no role to the next one (whose clause keeps the image's cue).
#: "shows the storm as it made landfall", "as it was making landfall", "as it started to make
#: landfall": a picture catching an event at its moment (the event's date is the picture's).
AS_IT_BEFORE = re.compile(
    r"\bas (?:it|they|the \w+) (?:was |were |started to |began to )?(?:\w+ )?$", re.I
)
EVENT_AS_TIME = re.compile(r"\b(?:before|during|after)\s+(?:the\s+|its\s+)?$", re.I)
EVENT_AS_TIME_END = re.compile(r"[^.;]*?(?:,|\band\b)")
#: "the epic snowstorm of January 22-23", "the floods of July 2021": a date naming an event.
EVENT_OF = re.compile(
    r"\b(?:storms?|snowstorms?|blizzards?|earthquakes?|quakes?|eruptions?|floods?|flooding|"
    r"tsunamis?|tornado(?:e?s)?|outbreaks?|blackouts?|heatwaves?|heat waves?)\s+of\s+$",
    re.I,
)
#: The reason of an event's date in a clause whose picture shows it: the picture's date when
#: no other is given (see ``EVENT_REASONS``).
SHOWN_EVENT = "an event the picture shows"
#: The reason of a span of days alone on its line (a montage's, a pair's): kept whole.
SPAN_OF_DAYS = "a span of days on a line of its own"
#: Days of a list, several pictures ("August 4 and August 25", "December 21, 24 and 27"), and
#: a CJK span of days, read as two dates joined before spans were read ("6月28日~7月9日",
#: "1月1~15日").
LIST_OF_DAYS = re.compile(
    r"\band\b|&|[日일]\s*(?:から|より|～|〜|~|-|–|至|到|부터)|\d\s*[～〜~]\s*\d{1,2}\s*[日일]"
)
#: "the elevation model from 2000 and the data acquired by TanDEM-X": a verb after "and the"
#: is that other noun's, not the date's.
OTHER_NOUN = re.compile(r"\band (?:the|a|an|its|their) ")


#: A comparison slider's label over a date alone on its line: "Oregon Wildfires Before\nLandsat
#: 5\nJuly 23, 2011" (a short line, the sensor's, may stand between).
#: Two days, and nothing else, on one line: "1 January 2000   6 April 2000" (the captions of
#: two pictures set side by side, laid out as one line of text).
PAIR_LINE = re.compile(
    r"[ \t]*(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
    r"[ \t]+(?:[|/][ \t]*)?"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
    r"[ \t]*(?:\n|$)"
)
SLIDER_LABEL_ABOVE = re.compile(r"\b(?:[Bb]efore|[Aa]fter|BEFORE|AFTER)[ \t]*(?:\n[^\n]{1,30})?$")


def is_date_pair_line(text: str, begin: int, finish: int) -> bool:
    """A date alone on its line with another right above or below it: a before/after pair.

    Or one of two dates that share a line and nothing else (``PAIR_LINE``).

    Or under a line that ends in "Before" or "After" (a comparison slider's label).

    A page has one dateline; "December 29, 2016" and "January 30, 2017" on two lines under a
    title (blank lines between or not) date the two pictures it compares.
    """
    if begin and text[begin - 1] not in "\n \t":
        return False
    line_start = text.rfind("\n", 0, begin) + 1
    own = DATE_LINE.match(text, line_start)
    if own is None or own.end() < finish:
        pair = PAIR_LINE.match(text, line_start)
        return pair is not None and pair.end() >= finish
    # the next line with words above or below it (blank lines may part the pair)
    above = text[:line_start].rstrip()
    if above and DATE_LINE.match(text, above.rfind("\n") + 1):
        return True
    if "efore" in above[-80:] or "fter" in above[-80:]:
        if SLIDER_LABEL_ABOVE.search(above, max(0, len(above) - 80)):
            return True
    line_end = text.find("\n", finish)
    if line_end < 0:
        return False
    below = len(text) - len(text[line_end:].lstrip())
    return below < len(text) and DATE_LINE.match(text, text.rfind("\n", 0, below) + 1) is not None


#: A line that holds only a span of days: "18-28 September 1998", "June 6, 2011 - June 8, 2012"
#: under a montage or a before/after pair ("June 2-4" under its caption, the year given above).
#: A page's dateline is one day, never a span.
_DAY = r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"
SPAN_LINE = re.compile(
    rf"[ \t]*(?:{_DAY}[ \t]*[-–][ \t]*{_DAY}"
    r"|\d{1,2}[ \t]*[-–][ \t]*\d{1,2} [A-Z][a-z]{2,8}\.?(?:,? \d{4})?"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}[ \t]*[-–][ \t]*\d{1,2}(?:,? \d{4})?)[ \t]*(?:\n|$)"
)


def mid_line(text: str, begin: int) -> bool:
    """Whether the date at ``begin`` follows 40 or more characters of words on its line.

    Then it is on no line of dates (:func:`is_date_pair_line`, :func:`is_span_line`) and no
    dateline (:func:`is_dateline`): from its line's start to it, their patterns allow spaces,
    tabs and at most two dates' 39 other characters, and a dateline only spaces or a weekday.
    Tested first: most dates sit in sentences, and this costs less than those three.
    """
    if begin - text.rfind("\n", 0, begin) <= 80:
        return False
    tail = text[begin - 80 : begin]
    return len(tail) - tail.count(" ") - tail.count("\t") >= 40 and not tail.isspace()


def is_span_line(text: str, begin: int) -> bool:
    """Whether the date at ``begin`` is on a line holding only a span of days (``SPAN_LINE``)."""
    line_start = text.rfind("\n", 0, begin) + 1
    return begin - line_start < 40 and SPAN_LINE.match(text, line_start) is not None


def is_name_word(text: str, match: re.Match[str]) -> bool:
    """A month abbreviation without its dot before a capitalised word: "Jan Mayen", "Mar Menor"."""
    name = match.group("mon")
    return (
        name.lower() not in _FULL_MONTHS
        and not text.startswith(".", match.end("mon"))
        and re.match(r"\s+[A-Z]", text[match.end("mon") : match.end("mon") + 3]) is not None
    )


#: Labels that announce the acquisition date ("Date Acquired: 12/20/2009", "Date & Time").
LABEL_BEFORE = CaselessPattern(
    r"(?:date acquired|acquisition date|date of acquisition|image date|date & time|date of pass|"
    r"date and time|\bdate|acquired)\s*[:\-]?\s*$"
)
PUBLICATION_BEFORE = CaselessPattern(
    r"(?:posted|published|updated|last update|posting date|post date|date created|released|issued|"
    r"accessed|addition date|display date|"
    r"date added|release date|publication date|date published|date modified|last modified|"
    r"(?:visuali[sz]ation|processing|production) date|"
    r"by [a-z][\w.]+(?: [a-z][\w.]+)*"
    r" \||on this day in)\s*(?:on|:)?\s*$"
)
#: The last character (lowercased) before trailing spaces of any match of the two patterns.
PUBLICATION_LAST = frozenset("den:|")
#: "— NASA (@NASA) November 20, 2018": the date an embedded post was posted.
POSTED_BY = re.compile(r"\(@\w+\)\s*$")
LABEL_LAST = frozenset("de:-")


def is_dateline(text: str, begin: int, finish: int) -> bool:
    """A date alone on its line, or opening a line before " - Title" or two spaces.

    Or a news story's dateline: after a town, before a colon that opens the story ("Lagos.
    February 5, 2013: A ..."; not after a weekday: "Tuesday, September 21, 2021: The volcano
    ..." may caption a picture of that day).
    """
    line_start = text.rfind("\n", 0, begin) + 1
    town = False
    if text[line_start:begin].strip():
        if begin - line_start >= 24 or not (
            text.find(",", line_start, begin) >= 0 or text.find(".", line_start, begin) >= 0
        ):
            return False
        if not _WEEKDAY_OPENS.fullmatch(text, line_start, begin):
            if not _TOWN_OPENS.fullmatch(text, line_start, begin):
                return False
            town = True  # (a dateline only before a colon)
    line_end = text.find("\n", finish)
    rest = text[finish : len(text) if line_end < 0 else line_end]
    if line_start > 0 and LABEL_BEFORE.search(text, max(0, line_start - 30), line_start - 1):
        return False  # "Date & Time\n28 July 2005": a label on the line above
    if town and rest[:1] == ":" and _STORY_AFTER.match(rest):
        return True
    return not town and _DATELINE_REST.match(rest) is not None


#: A town opening a news dateline: "Lagos. ", "WASHINGTON, ", "New Delhi, ".
_TOWN_OPENS = re.compile(r"[ \t]*[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?[.,][ \t]+")
#: A colon and the story's first word after a dateline's date.
_STORY_AFTER = re.compile(r":[ \t]+[A-Z]")


#: A weekday and a comma opening a dateline ("Jueves, 21 de agosto 2025, 10:17"), in any
#: language of ``_date_names``.
_WEEKDAY_OPENS = re.compile(rf"[ \t]*(?:{WEEKDAY_PATTERN}),[ \t]*")
#: What follows a dateline's date on its line: nothing, or its time ("10:07 IST", ", 10:17",
#: " : 14h", "14h30"), a place in brackets, then the title after a dash ("27 janvier 2020 :
#: 14h (Madagascar) - Les images"), or two spaces.
_DATELINE_REST = re.compile(
    r"[ \t]*(?:[,:]?[ \t]*\d{1,2}(?:[:.h]\d\d|h)[ \t]*(?:[ap]\.?m\.?)?[ \t]*\w*)?[ \t]*"
    r"(?:\([^()\n]{1,40}\)[ \t]*)?(?:$|[-–|]\s)|\s+[-–|]\s|  "
)


#: After "Imaging" in an instrument's name: its next word, capitalised.
_NAME_GOES_ON = re.compile(r"[ -][A-Z]")


def in_a_name(text: str, cue: re.Match[str]) -> bool:
    """Whether the cue word is part of an instrument's name, not a verb.

    "the Moderate Resolution Imaging Spectroradiometer (MODIS) show the burn scar of the fire
    that burned in August 2002": "Imaging" images nothing then.
    """
    return text.startswith("Imaging", cue.start()) and bool(_NAME_GOES_ON.match(text, cue.end()))
