"""Speeds, temperatures, weights and sizes: the questions asking for one and the phrases giving one."""

from __future__ import annotations

import re

from qa.text import singular

NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                "sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?")
NUMBER_NAME = re.compile(rf"(?:{NUMBER_WORDS})", re.I)  # "Four." names a number, not a thing

SPEED_Q = re.compile(r"\b(how fast|(top |maximum |max )?speed)\b", re.I)
SPEED = re.compile(rf"(?:(?<![\w.])(?:\d[\d,.]*|{NUMBER_WORDS})[\s-]*)?"
                   r"\b(mph|km/h|kph|knots?|mach\s?\d|miles (an|per) hour|kilomet(er|re)s (an|per) hour|m/s)\b|"
                   # a rate: "50,000 invoices in 41 minutes", "120 words per minute"
                   r"\b\d[\d,.]*\s+[a-z]+\s+(?:in|per|an?|each|every)\s+(?:(?:\d[\d,.]*|an?|one)\s+)?"
                   r"(?:seconds?|minutes?|hours?|days?)\b", re.I)
TEMPERATURE_Q = re.compile(r"\bhow (much )?(warm|hot|cold|cool|chilly|warmer|hotter|colder|cooler)\b|\bwhat temperature\b|\bhow many degrees\b", re.I)
TEMPERATURE = re.compile(r"-?\d+(?:\.\d+)?\s*(?:°\s*[CF]?|ºC|degrees?(?:\s+(?:Celsius|centigrade|Fahrenheit|C|F)\b)?)", re.I)
WEIGHT_Q = re.compile(r"\b(how heavy|weight|weigh|mass|payload)\b", re.I)
# "By when do I have to register it?": "within 28 days of purchase" says when, though it names no date
WITHIN_OF = re.compile(rf"\b(?:within|no later than)\s+(?:\d+|{NUMBER_WORDS})\s+(?:(?:working|business|calendar)\s+)?"
                       r"(?:days?|weeks?|months?|years?|hours?)\s+(?:of|after|from|before)\s+(?:(?:the|your|their|its)\s+)?[\w-]+", re.I)
# "How much water can the kettle take?": a volume, not the "two" of "two parts water"
VOLUME_Q = re.compile(r"\bhow much (?:water|liquid|milk|fuel|petrol|diesel|oil|juice|coffee|tea|wine|beer)\b(?=[^?]*\b(?:"
                      r"hold|holds|take|takes|contain|contains|fit|fits|carry|carries|store|stores)\b)", re.I)
VOLUME = re.compile(rf"(\d[\d,.]*|{NUMBER_WORDS})[\s-]*(litres?|liters?|l|ml|cl|millilit(?:re|er)s?|gallons?|pints?|cups?)\b", re.I)
WEIGHT = re.compile(rf"(\d[\d,.]*|{NUMBER_WORDS})[\s-]*(kg|kilo(gram)?s?|grams?|g|tonnes?|tons?|pounds?|lbs?|ounces?|oz)\b", re.I)
# "What number do I call for support?", "What is the helpline number?": a telephone number, not a count
PHONE_Q = re.compile(r"\b(?:what|which)\s+(?:phone\s+|telephone\s+)?number\b[^?]*\b(?:call|ring|phone|dial|text|reach)\b|"
                     r"\b(?:phone|telephone|helpline|hotline|contact|emergency)\s+number\b", re.I)
PHONE = re.compile(r"(?<![\w£$€.,])(?:\+\d{1,3}[\s-]?)?(?:\(0?\d{2,5}\)\s?|0\d{2,4}[\s-]?)\d{3,4}[\s-]?\d{3,4}(?![\w.,]\d)|"
                   r"\b(?:999|911|112|111|101)\b")

# "How big is the CHUNK buffer?", "How large are the files?": the size of a thing is a number ("16384", "2 GB") ...
_SIZE_Q = re.compile(r"\bhow (?:big|large)\s+(?:is|are|was|were|will|would|can|could)\b", re.I)
# ... but how big a win, a problem or a change was is often said in words ("a landslide", "huge")
_SIZE_SAID_IN_WORDS = re.compile(r"\b(?:win|victory|defeat|loss|lead|margin|majority|problem|issue|deal|impact|risk|"
                                 r"threat|difference|change|effect|mistake|surprise|challenge|role|part|fan|hit|"
                                 r"success|failure|concern|step|shift|blow|boost)s?\b", re.I)


# "What compression ratio do you get?", "What uid does the nobody user get?", "What port does it listen on?": a
# measure or a number asked for by its name, answered with a number ("9:1", "65534"), never by a sentence without one.
_MEASURE_NAMED_Q = re.compile(r"\bwhat\s+(?:[a-z]+\s+)?(?:ratio|uid|gid|pid|port|population|capacity|height|depth|width|"
                              r"temperature|score|resolution|frequency\s+range|bitrate|bit\s+rate|sample\s+rate)s?\s+"
                              r"(?:does|do|did|is|was|are|were|will|would|can|could|should)\b", re.I)


def asks_size(question: str) -> bool:
    """Whether the question asks how big something is, or names the measure it asks for: a number answers."""
    return bool(_SIZE_Q.search(question)) and not _SIZE_SAID_IN_WORDS.search(question) or \
        bool(_MEASURE_NAMED_Q.search(question))

# "What is the area of Kellbridge in square kilometres?": "38 kilometres south-west" is a distance, not an area.
_AREA_Q = re.compile(r"\bwhat(?:['’]s|\s+is|\s+was)\s+(?:the|its|their)\s+(?:total\s+|land\s+|surface\s+)?area\b|"
                     r"\bsquare\s+(?:kilomet|met|mile|feet|foot|yard)|\bsq\.?\s*(?:km|mi|ft|m)\b|\b(?:acres?|hectares?)\b",
                     re.I)
_AREA = re.compile(r"\bsquare\b|\bsq\.?\s*(?:km|mi|ft|m|metres?|meters?|miles?|feet)\b|\b(?:km|m|mi)[²2]\b|"
                   r"\b(?:acres?|hectares?|ha)\b", re.I)


def area_fits(text: str, question: str) -> bool:
    """Whether `text` can answer a question asking for an area: any text, unless an area is asked and it says none."""
    return not _AREA_Q.search(question) or _AREA.search(text) is not None


def counted_before(text: str, start: int, noun: str) -> bool:
    """Whether the words just before the number at `start` say what it counts ("Paid membership stands at 63",
    "the number of pupils is 212"; not "Membership fees rose to 25"): the counted noun, or a "-ship" of it, then
    only words leading in to the number."""
    before = [w.strip(",.;:()").lower() for w in text[max(0, start - 60):start].split()]
    if not before or before[-1] not in _LEADING_IN:
        return False
    while before and before[-1] in _LEADING_IN:
        before.pop()
    return bool(before) and singular(before[-1].removesuffix("ship")) == noun


# "item 5", "page 12", "Room 3", "No. 7": a number naming one thing, not a count of anything
_NUMBERED = re.compile(r"\b(?:item|page|section|chapter|clause|paragraph|step|line|room|flat|platform|gate|route|bus|"
                       r"junction|table|figure|question|no|issue|version|stage|phase|level|ward|appendix|annex|"
                       r"article|rule|point|agenda|minute|motion|lot|plot|unit|bay|pitch|court|door|exit)\.?\s*$", re.I)


def numbered(text: str, start: int) -> bool:
    """Whether the number at `start` is a label's ("item 5"), not a count."""
    return _NUMBERED.search(text, max(0, start - 16), start) is not None


_LEADING_IN = frozenset("at is was are were has have had of to now currently totals totalled totaled reached numbered numbers stood "
                        "stands rose grew fell climbed".split())
