"""What kind of answer a question wants (a count, a distance, a date, a name...) and whether a text offers one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from qa.ages import AGE as _AGE, age_pattern
from qa.frequency import FREQUENCY, FREQUENCY_Q
from qa.measures import (NUMBER_WORDS as _NUMBER_WORDS, area_fits, counted_before, numbered, PHONE, WITHIN_OF, PHONE_Q, SPEED as _SPEED, SPEED_Q as _SPEED_Q, TEMPERATURE as _TEMPERATURE,
                         TEMPERATURE_Q as _TEMPERATURE_Q, VOLUME as _VOLUME, VOLUME_Q as _VOLUME_Q, WEIGHT as _WEIGHT, WEIGHT_Q as _WEIGHT_Q, asks_size)
from qa.lexicon import INSTITUTIONS, ONLINE, ORG_WORDS, PLACE_WORDS, SETTLEMENTS, STRETCHES
from qa.name_kinds import common_first_name, no_person_at, person_words
from qa.roles import ROLE_QUESTION, offers_role
from qa.text import MEASURED_FROM, QUESTION_START as _OPENER, main_question, singular as _singular
from qa.versions import EXCEPTION, EXCEPTION_Q, VERSION_Q, other_version, version_in
from qa.where import WHERE_Q, asks_employer, asks_no_place, no_town, somewhere_in_something

# "several", "many" or "some" do not answer "how many": a count must be a number.
_QUANTITY = re.compile(rf"(?<![\w.])(\d[\d,.]*\d|\d|{_NUMBER_WORDS})\b", re.I)
_YEAR = re.compile(r"\b(1[5-9]|20)\d\d\b")
_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)*")
_SCALE = re.compile(r"\s*(?:thousand|million|billion|trillion|m|bn|k)\b", re.I)
# "may", "march" and "august" in lower case are a verb and an adjective, not months.
_MONTHS = r"(January|February|(?-i:March)|April|(?-i:May)|June|July|(?-i:August)|September|October|November|December)"
_WEEKDAYS = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# In software documentation "when was it added?" is answered by a release: "New in version 3.9.", "removed in 5.0".
_DATE = re.compile(
    r"\bversion\s+\d+(?:\.\d+)+\b|\b(?:(?:removed|deprecated|added|dropped|introduced|new)\s+in|until|since)\s+v?\d+(?:\.\d+)+\b|"
    rf"\b{_MONTHS}\b|\b{_WEEKDAYS}\b|{_YEAR.pattern}|\b(1[5-9]|20)\d0[’']?s\b|\b(\d{{1,2}}(st|nd|rd|th)|\w+th|first) centur(y|ies)\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|"
    r"\b(yesterday|today|tonight|tomorrow|last (night|week|month|year)|(this|next|last) (morning|week|month|year)|"
    r"(earlier|later) this (week|month|year)|(first|second|last|final|next) (day|days|week|weeks|month|months|year|years)|"
    r"day one|\w+ (days?|weeks?|months?|years?) (ago|before|after|later|earlier)|"
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|last) (?:working )?day of (?:each|every|the) (?:month|week|year))\b", re.I)
_EXACT_DATE = re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?{_MONTHS}\b|"
                         r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.I)
_DISTANCE_UNIT = r"(miles?|mi|km|kilomet(er|re)s?|met(er|re)s?|m|feet|foot|ft|yards?|nautical miles?|inch(es)?|cm|mm|(centi|milli)met(er|re)s?)"
_DISTANCE = re.compile(rf"(\d[\d,.]*|{_NUMBER_WORDS})[\s-]*{_DISTANCE_UNIT}\b|"  # "How far is it?": "a 12-minute walk"
                       rf"\b(?:\d+|{_NUMBER_WORDS})[\s-]+(?:minute|hour|min)s?['’]?\s+(?:walk|drive|ride|cycle|stroll)\b", re.I)
_TIME_UNIT = r"(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(y|ies))"
_DURATION = re.compile(rf"(\d[\d,.]*|an?|{_NUMBER_WORDS})[\s-]+(?:(?:extra|more|additional|full|working|whole|further|calendar|business|consecutive|clear|straight)\s+){{0,2}}{_TIME_UNIT}\b"
                       rf"(,?\s+(and\s+)?\d[\d,.]*\s+{_TIME_UNIT}\b)*", re.I)  # "9 minutes 36 seconds"
_LENGTH = re.compile(f"{_DISTANCE.pattern}|{_DURATION.pattern}", re.I)
_MONEY = re.compile(rf"[$£€¥]\s?\d(?:[\d,.]*\d)?(?:\s?(?:bn|m|k|million|billion|trillion)\b)?|\b\d[\d,.]*\s?(bn|m|k)\b|\b(dollars?|pounds?|euros?|yen|usd|gbp|eur)\b|"
                    rf"(\d[\d,.]*|{_NUMBER_WORDS})\s+(million|billion|trillion)\b", re.I)
# "How much slower ...?" asks for a degree: a number, a share, "twice as ..." or an amount ("by £2m").
_DEGREE = re.compile(rf"(?<![\w.])(\d[\d,.]*|{_NUMBER_WORDS})\s*(%|per ?cent\b|times\b|-?fold\b)|"
                     rf"\b(twice|half|double|triple|tenfold)\b|{_MONEY.pattern}|{_QUANTITY.pattern}", re.I)
_PERCENT = re.compile(r"\d\s?%|\b(per ?cent|percent(age)?)\b", re.I)
_DATE_Q = re.compile(_OPENER + r"when\b(?!\s+\w+ing\b)|\b(since when|until when|by when|what (year|month|day|date|time)|which (year|month|day|date)|since when|"
                     r"(on|at|in) what (exact )?(date|day|year))\b", re.I)
# "What time's the flight?": a time of day, not its date. "What time of year" asks for a season or month.
_CLOCK_Q = re.compile(r"\b(?:(?:at )?what time|what hour)(?!\s+(?:of (?:the )?(?:year|month|week)|period|frame|zone))\b|"
                      # "When are they open on Saturday?" names the day: it asks for the hours
                      r"^\W*(?:and\s+)?when\b[^?]*\b(?:on\s+(?:a\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?|today|tomorrow|tonight)\s*\?\s*$", re.I)
_CLOCK = re.compile(r"(?<![\w.:£$€])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])(?:\s*(?:[ap]\.m\.?|[ap]m\b))?|"
                    r"(?<![\w.£$€])(?:1[0-2]|0?\d)(?:[.:][0-5]\d)?\s*(?:[ap]\.m\.?|[ap]m\b)|\b(?:noon|midday|midnight)\b|"
                    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}) o[’']clock\b", re.I)
_YEAR_Q = re.compile(r"\b(what|which|in what) year\b", re.I)
_EXACT_DATE_Q = re.compile(r"\b(exact date|what date|which date|on what (exact )?(date|day))\b", re.I)
_DISTANCE_Q = re.compile(r"\b(how (far|high|deep|tall|wide|thick|much further|much farther)|(the|its|their|what) range|range of|range (do|does|did)|"
                         r"what (is|was|are) (the|its|their) (distance|length|height)|what (width|diameter|thickness|depth|gauge) of)\b", re.I)
_MEASURE_Q = re.compile(r"\bwhat(?:['’]s| is| was| are| were) (the|its|their|his|her) (\w+ )?(size|population|capacity|"
                        r"total|amount|number|height|length|depth|width|area|volume|temperature|score|rate|count|limit|"
                        r"ratio|timeout|maximum|minimum)\b", re.I)
_DURATION_Q = re.compile(r"\bhow long\b|\bhow much (?:time|notice|warning|leave|holiday)\b", re.I)
# "How long is the video / will the bridge be?": a time or a distance, told apart only by the thing measured (a
# thing that stretches from one place to another is measured in metres, not minutes).
_LENGTH_Q = re.compile(r"\bhow long (is|was|are|were)\b|\bhow long (will|would|could|might|should) ([\w’'-]+ ){1,5}be\s*\??\s*$", re.I)
_STRETCH_Q = re.compile(rf"\bhow long\b.*\b({'|'.join(STRETCHES)})\b", re.I)
_MONEY_Q = re.compile(r"\b(how much (does|did|do|will|would|is|was|has|have|money|military aid|aid|funding)\b(?![^?]*\bweigh)|what(['’]s| is|"
                      r" was| are| were) ([\w’'-]+ ){1,4}?(cost|price|value|salary|wage|fee|rent|budget|deposit)s?(?=\s*(\?|$|(for|of|in|on|at|per|now|"
                      r"each)\b))|what (will|would|does|did|do) ([\w’'-]+ ){1,4}?cost\b|what (am|are|do|did|will|would) (i|we|you|they) (be |have )?(pay|paying|paid|charged|owe|owing|spend|spending)\b(?! (attention|tribute|respect|heed|homage|a visit))|what (will|would|is|has) ([\w’'-]+ ){1,4}?(price|fee|rent|fare|bill|salary|wage|deposit)s? (be )?(go(ing|ne)? (up|down)|ris(e|en|ing)|increas(e|ed|ing)|fall(en|ing)?|drop(ped|ping)?|chang(e|ed|ing)|be)\b|how much\b.*\b(cost|price|pay|paid|spend|spent|worth|aid|money|fund|funding|budget))", re.I)
# "How much profit ...?" wants money, though a sentence may give it without naming what was asked about
_AMOUNT_Q = re.compile(r"\bhow much (profits?|revenues?|income|turnover|salary|rent|fees?|debts?|loans?|dividends?|fines?|compensation|"
                       r"grants?|damages?|tax(?:es)?|wages?|pay|bonus(?:es)?|donations?|savings|cash|losses?)\b", re.I)
_PERCENT_Q = re.compile(r"\bwhat (percentage|proportion|share|per ?cent)\b", re.I)
_AGE_Q = re.compile(r"\bhow old\b", re.I)
_COUNT_Q = re.compile(r"\b(how many|(the )?number of|(what|which) (is|was) the (largest|smallest|total) number of)\s+"
                      r"(?P<noun>[\w' -]+?)(?=\s+(?:has|have|had|did|do|does|are|is|was|were|will|would|could|can|"
                      r"might|may|should|that|which|who|in|on|at|for|to|of)\b|[?.,]|$)", re.I)
_REASON_Q = re.compile(_OPENER + r"why\b|\b(what (made|caused|prompted|led|persuaded|convinced)|for what reason|"
                       r"how come|what\b[^?]*\b(put\b[^?]*\bdown to|blam(e|ed|es)\b[^?]*\bon|attribut(e|ed|es)\b[^?]*\bto))\b", re.I)
# "after"/"since" before a time ("since 2015", "after that") say when, not why.
_NOT_A_TIME = rf"(?!\s+(?:\d|{_MONTHS}|last\b|then\b|that\b|this\b|the (?:start|beginning|end|summer|winter|spring|autumn|weekend)\b))"
_REASON = re.compile(rf"\b(because|due to|owing to|for fear|as a result|in order to|so that|so it can|after{_NOT_A_TIME}|"
                     rf"since{_NOT_A_TIME}|thanks to|(?:the|main|likely|root) cause|caused by|prompted|persuaded|swayed|led to|reason|on (?:the )?advice|in response to|amid|"
                     r"citing|to avoid|to prevent|to protect|thus|therefore|hence|consequently)\b", re.I)
_DEGREE_Q = re.compile(r"\bhow (much|many times) (more|less|slower|faster|bigger|smaller|larger|cheaper|dearer|higher|"
                       r"lower|longer|shorter|better|worse|heavier|lighter|older|younger)\b", re.I)
_SOFT_NUMBER_Q = re.compile(r"\bhow (much|big|large|fast|often|strong|heavy)\b|\bwhat (is|was) the (size|amount|total)\b", re.I)
# "Who is Emmanuel Macron?" (or "Who is he?") is answered by what he is ("The French president."): no one new.
WHO_IS_NAMED = re.compile(r"^\W*(?i:and\s+|so\s+)?(?i:who)\s+(?:is|was|are|were)\s+(?:(?:[A-Z][\w'’.-]*\s*)+|"
                          r"(?i:he|she|they)\s*)\??\s*$")
_PERSON_Q = re.compile(_OPENER + r"(who|whom|whose)\b|\b((which|what) (?!(?:is|was|are|were|did|does|do|has|have|had|will|would)\b)(\w+ ){0,2}(person|official|leader|president|minister|secretary|politician|"
                       r"general|spokesman|spokeswoman|spokesperson|ally|donor|author|man|woman))\b|"
                       # "What was his name?" asks for a person's name; "the name of the function" may be code
                       r"\bwhat (?:is|was|are|were)\s+(?:his|her|their|(?:\w+\s+){0,3}\w+['’]s)\s+"
                       r"(?:first |last |full |real |maiden )?names?\b(?!\s+(?:for|of)\b)|\bwhat (?:is|was) (?:he|she) called\b", re.I)
_NAME_Q = re.compile(r"\b(which|what) (?!(?:is|was|are|were|did|does|do|has|have|had|will|would)\b)(\w+ ){0,2}(newspaper|paper|company|firm|organi[sz]ation|agency|outlet|network|channel|club|team|band|"
                     r"platform|website|site|party|manufacturer|group|bank|publication|magazine|broadcaster|library|charity|contractor|"
                     r"maker|brand|university|college|school|academy|institute|institution)(?:s|es)?\b|\b(?:which|what) (?:\w+ ){0,2}(?:companies|libraries|agencies|charities|universities)\b", re.I)
_PLACE_Q = re.compile(_OPENER + r"where\b|\b((which|what) (?!(?:is|was|are|were|did|does|do|has|have|had|will|would)\b)(\w+ ){0,2}(country|countries|region|city|town|place|area|state|province|"
                      r"territory|border|capital|district|borough|suburb|neighbou?rhood|county|island|village|street|cities|counties)(?:s|es)?)\b", re.I)
# "Where did she post it?" asks for a platform, publication or website, not a place.
_VENUE_Q = re.compile(_OPENER + r"where\b.*\b(post|posted|publish|published|write|wrote|written|share|shared|announce|"
                      r"announced|appear|appeared|print|printed|air|aired|broadcast|upload|uploaded|tweet|tweeted|blog|"
                      r"blogged|comment|commented|report|reported|say|said|state|stated|release|released|stream|"
                      r"streamed|list|listed|advertise|advertised|host|hosted|read|find|found|see|watch|download|"
                      r"document|documented|describe|described|explain|explained|sell|sold|buy|bought|stored|saved|kept|defined|"
                      r"installed|configured|declared|imported|logged|recorded|talk|talked|speak|spoke|tell|told|interviewed|"
                      r"discuss|discussed|reveal|revealed|call|called|urge|urged|criticise|criticised|criticize|criticized|"
                      r"complain|complained|warn|warned|claim|claimed|argue|argued|apologise|apologised|apologize|"
                      r"apologized|promise|promised|praise|praised|confirm|confirmed|deny|denied)\b", re.I)
_VENUE = re.compile(rf"\b(on|in|at|via|through)\s+(the\s+|his\s+|her\s+|their\s+|its\s+|a\s+)?"
                    rf"(?!(?:{_MONTHS[1:-1]}|{_WEEKDAYS[1:-1]})\b)([A-Z][\w.&-]*)|"  # "on Sunday" is a time, not a venue
                    r"\b(to|onto)\s+()([A-Z][\w.&-]*)|"
                    r"\b(on|in|at|via|through|to|from)\s+(the\s+|his\s+|her\s+|their\s+|its\s+|a\s+)?("
                    r"[\w-]+\.(com|org|net|io|gov|edu)\b|(\w+\s+)?(blog|website|site|podcast|channel|"
                    r"newsletter|forum|page|account|feed|platform|app|magazine|newspaper|journal|radio|television|tv|"
                    r"documentation|docs|manual|module|section|chapter|file|directory|folder|store|shop)\b)|"
                    r"https?://\S+|\b[\w-]+\.(com|org|net|io)\b|(?<!\w)[~.]?/[\w.-]+/[\w./-]*|\b(?!\d+\.\d+\.\d+\b)\w+\.\w+\.\w+\b|"
                    r"\b(?:interview with|told|speaking to|writing in)\s+(?:the\s+)?(?=[A-Z])")  # the name after it
_YESNO_Q = re.compile(r"^\W*(?:(?:and|so|but)\s+)?(is|are|was|were|do|does|did|can|could|has|have|had|will|would|"
                      r"should|may|might|must|isn't|aren't|wasn't|didn't|doesn't)\b(?!.*\bor\b)", re.I)
_COMPARE_Q = re.compile(r"\b(older|younger|earlier|later|first|last|sooner|bigger|larger|smaller|longer|shorter|"
                        r"taller|higher|lower|heavier|lighter|faster|slower|more|fewer|less|greater|oldest|youngest|"
                        r"earliest|latest)\b.*\bor\b", re.I)
# "How did he describe the move?" asks for his words, not a means ("by ...")
_MANNER_Q = re.compile(_OPENER + r"how (did|does|do|was|were|is|are|can|could|will|would|should|to)\b(?!.*\b(?:describ|"
                       r"characteri[sz]|react|respond|feel|felt|view|rate|rated|judge|assess))", re.I)
_LOCATIVE = re.compile(r"\b(in|at|from|near|to|into|outside|across|throughout|around|towards?|inside|within|of|"
                       r"between|via|born|based|headquartered)\s+(?:(?:the|a|an|[A-Z][\w'’.-]*)\s+){0,2}$", re.I)
_PLACE_WORDS = (r"(pier|port|harbou?r|city|town|village|river|lake|mountains?|street|road|avenue|square|station|"
                r"airport|island|county|province|state|country|valley|bridge|hall|building|cent(er|re)|university|"
                r"college|school|hospital|park|museum|church|castle|palace|region|district|coast|bay|sea|ocean|"
                r"border|headquarters|office|campus|studio|garage|garden|factory|warehouse|lab(oratory)?|basement|lane|"
                r"boulevard|crescent|terrace|quay|wharf|motorway|highway|stadium|arena|prison|embassy|hotel|"
                r"restaurant|pub|theat(re|er)|cinema|gallery|room|kitchen|attic|loft|shed|cellar|flat|"
                r"\w+(house|room|yard|shop|field|works))")
_PLACE_NOUN = re.compile(rf"(?:\s+[A-Z][\w'’.-]*){{0,2}}\s+{_PLACE_WORDS}\b", re.I)
# "in a converted boathouse": a place without a name.
_PLACE_PHRASE = re.compile(rf"\b(in|at|inside|near|from|outside|behind|beside|opposite)\s+(the|a|an|his|her|their|its|our|your|my)\s+([\w-]+\s+){{0,2}}"
                           rf"{_PLACE_WORDS}\b", re.I)
# A place asked for by where it is, or by where someone was born or something was set up: named after a preposition.
_LOCATED_Q = re.compile(_OPENER + r"(?:where|(?:in|at|from|near)\s+(?:which|what))\b|\b(?:born|based|located|"
                        r"headquartered|raised|buried|grew up)\b", re.I)
_IN_NAMED = re.compile(r"\b(?:in|at|near|within|outside)\s+(?:the\s+)?(\w+)", re.I)
_FROM_NAMED, _ASKS_FROM = re.compile(r"\bfrom\s+(?:the\s+)?[A-Z]"), re.compile(r"\bwhere\b.*\bfrom\b", re.I)  # "from PyPI"
_CALENDAR_NAME = re.compile(rf"{_MONTHS}|{_WEEKDAYS}")
_NAME_TOKEN = re.compile(r"[A-Z][\w'’.-]*|[A-Z]")
_SENTENCE_START = re.compile(r"(^|[.!?:;“\"|]\s*)$")  # a table cell opens like a sentence
# A bullet's first word is a name when a verb follows ("- Kemi asked ..."), not when it is an order ("- Parse every
# input line").
_BULLET_START = re.compile(r"^\s*[-*•]\s+$")
_FINITE_VERB, _ADVERB = re.compile(r"\s+[a-z]+(?:ed|s)\b"), re.compile(r"[A-Z][a-z]+ly")  # "- Finely grated" names no one
_FUNCTION_WORDS = frozenset(
    "a an the and but or if in on at of to for by with from as it its this that these those he she they we you i "
    "his her their our my mr mrs ms dr sir so what when where who which how why there here however meanwhile "
    "yet still also then after before while i'd i'm i've i'll i’d i’m i’ve i’ll".split())
# Words that open sentences ("Do I have to...", "Unlike key functions...") and are never names there.
_OPENING_WORDS = _FUNCTION_WORDS | frozenset(
    "do does did is are was were be been can could will would shall should may might must have has had not no yes "
    "all any each every some many most more much other such only just even now both either neither "
    "first last next see note look use using unlike like since because although though unless until once whether "
    "instead today tomorrow yesterday please thanks thank let make get why".split())


@dataclass(frozen=True)
class AnswerType:
    """The kind of answer asked for; `strict` kinds make a text without one a non-answer."""

    # count, distance, duration, length (either of those two), degree ("how much slower"), money, speed, weight,
    # percent, age, number, temperature, reason, date, year, exact-date, clock (a time of day), person, name, place, venue
    # (where something was posted/published), yesno, comparison, manner, version, frequency
    kind: str | None
    strict: bool = False
    noun: str | None = None  # what a count counts ("soldiers" in "how many soldiers")

    @property
    def family(self) -> str | None:
        """number, date, person, place or None: the coarse kind older callers know."""
        match self.kind:
            case "count" | "distance" | "duration" | "length" | "money" | "percent" | "age" | "speed" | "weight" | "volume" | "number" \
                    | "degree" | "temperature":
                return "number"
            case "date" | "year" | "exact-date" | "clock":
                return "date"
            case "person" | "name":
                return "person"
            case "venue":
                return "place"
            case "reason" | "yesno" | "comparison" | "manner":
                return None
            case other:
                return other


WH_PHRASE = re.compile(r"\b(?:which|what)\s+((?:\S+\s+){0,2}\S+)", re.I)  # "which district of London"


def wh_nouns(question: str) -> set[str]:
    """Lowercase words of the question's which-phrase ("college" in "at which Oxford college ...?")."""
    match = WH_PHRASE.search(question)
    return {w.lower() for w in re.findall(r"\w+", match.group(1)) if w.islower()} if match else set()


# Questions whose kind one pattern tells, in the order they are tried ("version": "3.8" under its API entry).
_CHANGE_Q = re.compile(r"\bby how much\b", re.I)  # a change: a share ("by over 25%") as often as an amount
_STRICT_QUESTIONS = ((PHONE_Q, "phone"), (_CLOCK_Q, "clock"), (VERSION_Q, "version"), (_EXACT_DATE_Q, "exact-date"), (_YEAR_Q, "year"),
                     (_DATE_Q, "date"), (_CHANGE_Q, "degree"), (_PERCENT_Q, "percent"), (_MONEY_Q, "money"))


def answer_type(question: str) -> AnswerType:
    """What `question` asks for; open questions get kind None."""
    question = main_question(question)
    if _COMPARE_Q.search(question) and re.search(r"^\W*(who|which|what)\b", question, re.I):
        return AnswerType("comparison")
    if _YESNO_Q.search(question):
        return AnswerType("yesno")
    for pattern, kind in _STRICT_QUESTIONS:  # the first that matches: "what time" before "what ... date"
        if pattern.search(question):
            return AnswerType(kind, strict=True)
    for pattern, kind in ((FREQUENCY_Q, "frequency"), (EXCEPTION_Q, "exception"), (ROLE_QUESTION, "role")):
        if pattern.search(question):  # "once an hour", not the number 14; "What exception is raised?": one named
            return AnswerType(kind, strict=kind != "frequency")
    if count := _COUNT_Q.search(question):
        words = count.group("noun").split()
        # "how many boats sank": the counted noun is the plural, not the verb after it.
        noun = next((w for w in words if _singular(w) != w.lower()), words[0] if len(words) > 1 else words[-1]).lower()
        if re.fullmatch(_DISTANCE_UNIT, noun, re.I):
            return AnswerType("distance", strict=True)  # "how many miles" asks for a distance, written "50-mile"
        if re.fullmatch(_TIME_UNIT, noun, re.I):
            return AnswerType("duration", strict=True)
        return AnswerType("count", strict=True, noun=noun)
    for pattern, kind in ((_TEMPERATURE_Q, "temperature"), (_SPEED_Q, "speed"), (_WEIGHT_Q, "weight"), (_VOLUME_Q, "volume"), (_AGE_Q, "age"), (_DISTANCE_Q, "distance"),
                          (_LENGTH_Q, "length"), (_DURATION_Q, "duration"), (_DEGREE_Q, "degree"), (_MEASURE_Q, "number")):
        if pattern.search(question):  # the first that matches
            return AnswerType("distance" if kind == "length" and _STRETCH_Q.search(question) else kind, strict=True)
    if asks_size(question):
        return AnswerType("number", strict=True)  # "How big is the buffer?": a sentence saying only what it is for
    if _AMOUNT_Q.search(question):
        return AnswerType("money", strict=False)
    if _SOFT_NUMBER_Q.search(question):
        return AnswerType("number", strict=False)  # "how big was the win?" may be answered by "a landslide"
    if _REASON_Q.search(question):
        return AnswerType("reason", strict=False)  # a cause is often given without a cue word
    if _PERSON_Q.search(question) and not WHO_IS_NAMED.match(question):
        return AnswerType("person", strict=True)
    if _NAME_Q.search(question) or asks_employer(question):
        return AnswerType("name", strict=True)
    if _VENUE_Q.search(question):
        return AnswerType("venue", strict=True)
    if asks_no_place(question):
        return AnswerType(None)  # "Where does he stand on X?" asks for a position, not a place
    if _PLACE_Q.search(question):
        return AnswerType("place", strict=True)
    if _MANNER_Q.search(question):
        return AnswerType("manner")
    return AnswerType(None)


# Capitals for emphasis ("cottage BOOKED", "URGENT: …") and eras ("100 BC") are no names; acronyms ("ATACMS") are.
_SHOUTED = re.compile(r"[A-Z]{2,}(?:ED|ING)|URGENT|IMPORTANT|NOTE|WARNING|CAUTION|UPDATE|NEW|FREE|DONE|TODO|FYI|BCE?|CE|AD")


def names_in(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised words that look like names: not function words, not a lone sentence-initial word unless it is
    one of the `known` names (written mid-sentence elsewhere in the passages: "Tobias confirmed the budget")."""
    out: list[str] = []
    tokens = list(_NAME_TOKEN.finditer(text))
    for i, match in enumerate(tokens):
        word = match.group().rstrip(".’'")
        if not word or word.lower() in _FUNCTION_WORDS or _SHOUTED.fullmatch(word):
            continue
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in "-_"):
            continue  # a capital inside a word ("US-supplied" keeps "US", "iPhone" is skipped)
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        followed = i + 1 < len(tokens) and text[match.end(): tokens[i + 1].start()].strip() == ""
        if not followed and word in known:  # a name the passages write stands alone anywhere
            out.append(word)
            continue
        if at_start and (word.lower() in _OPENING_WORDS or not followed and not word.isupper()):
            continue
        if _BULLET_START.match(text[: match.start()]) and not followed and (not _FINITE_VERB.match(text, match.end()) or
                                                                            _ADVERB.fullmatch(word) and not common_first_name(word)):
            continue
        out.append(word)
    return out


def passage_names(texts: Sequence[str]) -> frozenset[str]:
    """Names the texts write mid-sentence or in a whole name ("Tobias Wren"), which count where they open a sentence;
    a word also written in lower case is a label or a noun ("Patient: Mr Colin Marsh" and "the patient")."""
    lower = {w for text in texts for w in re.findall(r"\b[a-z][\w'’-]*", text)}
    lines = [line for text in texts for line in text.splitlines()]  # a line opens like a sentence ("Date of birth: …")
    return frozenset(name for line in lines for name in names_in(line) if not name.isupper() and name.lower() not in lower)


def count_matches(text: str, noun: str | None) -> tuple[bool, bool]:
    """(text has a count, that count is of `noun`): years and measures like "190-mile" are not counts."""
    found, of_noun = False, False
    noun_stem = _singular(noun) if noun else None
    for match in _QUANTITY.finditer(text):
        token = match.group()
        if _YEAR.fullmatch(token) or text[match.end(): match.end() + 1] == "-" or day_of_date(text, match) or \
                _SHARE.match(text, match.end()) or numbered(text, match.start()):  # "70% of active users" is a share of them; "item 5" a label
            continue
        following = text[match.end(): match.end() + 40].split()
        if following and re.match(_DISTANCE_UNIT + r"\b", following[0], re.I):
            continue
        counts_noun = bool(noun_stem) and (any(_singular(w.strip(",.;:")) == noun_stem for w in following[:4]) or
                                           counted_before(text, match.start(), noun_stem))
        if _VERSION.fullmatch(token) and not _SCALE.match(text, match.end()) and not counts_noun:
            continue  # "GNU sed v4.0", "1.12": a release, not a number of things ("1.3 characters" is one)
        found = True
        of_noun = of_noun or counts_noun
    return found, of_noun


_SHARE = re.compile(r"\s*(?:%|per ?cent\b)", re.I)
_NAME_RUN = re.compile(r"[A-Z][\w'’&-]*(?:[ \t]+(?:(?:of|for|and|&)[ \t]+)?[A-Z][\w'’&-]*)*")  # "Institute for Coastal Research"
_DAY_BEFORE_MONTH, _MONTH_BEFORE_DAY = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b"), re.compile(rf"\b{_MONTHS}\s+$")


def day_of_date(text: str, match: re.Match[str]) -> bool:
    """Whether a number is the day of a date ("26 March 2025", "March 26"): no count of anything."""
    return bool(_DAY_BEFORE_MONTH.match(text, match.end()) or _MONTH_BEFORE_DAY.search(text, 0, match.start()))


_KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "distance": _DISTANCE, "length": _LENGTH, "money": _MONEY, "percent": _PERCENT, "age": _AGE, "speed": _SPEED, "weight": _WEIGHT, "volume": _VOLUME,
    "number": _QUANTITY, "degree": _DEGREE, "reason": _REASON, "date": _DATE, "year": _YEAR, "exact-date": _EXACT_DATE,
    "clock": _CLOCK, "frequency": FREQUENCY, "temperature": _TEMPERATURE, "phone": PHONE, "exception": EXCEPTION}


_ORG_OR_PLACE = ORG_WORDS | PLACE_WORDS


def offers(text: str, wanted: AnswerType, question: str = "", located: bool = True,
           known: frozenset[str] = frozenset()) -> bool:
    """Whether `text` contains an answer of the wanted kind (always True for open questions). With `located`
    a place asked for by where ("In which city was she born?") is a name after a preposition; without it (the
    first hop of a bridge question, which names the person and not yet the place) any new name will do."""
    match wanted.kind:
        case "role":  # "What position will Anand take up?": an office said of Anand; a bridge's first hop: a new name
            return offers_role(text, question) or not located and bool(set(names_in(text, known)) - set(names_in(question)))
        case "count":
            return count_matches(text, wanted.noun)[0]
        case "duration":
            return bool(_DURATION.search(text)) or len(set(re.findall(r"\b(?:1[5-9]|20)\d\d\b", text))) > 1 or bool(_DATE.search(text) and re.search(r"\b(?:since|until|till|through)\b", text, re.I))
        case "date":  # "When is his talk now?": "It has moved to 14:00"
            return bool(_DATE.search(text)) or bool(_CLOCK.search(text)) or bool(WITHIN_OF.search(text))
        case "venue":
            return bool(_VENUE.search(text) or _PLACE_PHRASE.search(text) or _ASKS_FROM.search(question) and _FROM_NAMED.search(text))
        case "version":  # a version the question does not name ("3.9" in "which release dropped Python 3.9?")
            return bool(version_in(text, question)) and not other_version(text, question)
        case "name" if wh_nouns(question) & ONLINE:  # "On which platform ...?": where it appeared ("on X")
            return bool(_VENUE.search(text))
        case "number":  # "What is the capacity?": a year or the day of a date is no number of anything; "£97m" is
            return area_fits(text, question) and (bool(_MONEY.search(text) or _PERCENT.search(text)) or any(
                not _YEAR.fullmatch(m.group()) and not day_of_date(text, m) for m in _QUANTITY.finditer(text)))
        case kind if kind in _KIND_PATTERNS:
            return bool((age_pattern(question) if kind == "age" else _KIND_PATTERNS[kind]).search(text))
        case "person" | "name" | "place":
            # "comp.lang.python" in the question asks about Python: its parts are not answers either.
            asked = {re.sub(r"['’]s?$", "", w.lower()) for w in [*names_in(question), *re.findall(r"[\w'’-]+", question)]}
            fresh = [name for name in names_in(text, known) if re.sub(r"['’]s?$", "", name.lower()) not in asked]
            where = _LOCATED_Q.search(question) if located else WHERE_Q.match(question)
            towns = wanted.kind == "place" and bool(wh_nouns(question) & SETTLEMENTS)  # "Which Russian city?"
            fresh = [name for name in fresh if not (towns and (no_town(name) or _CALENDAR_NAME.fullmatch(name)))]
            if wanted.kind == "place" and located:  # "Joe Biden has approved strikes" names no city; a bridge's
                # first hop names a person
                people = person_words(text)
                fresh = [name for name in fresh if name not in people]
            if wanted.kind == "place" and where:  # "in Paris", "the Hollin pier", or bare: "urging Britain and France"
                fresh = [name for name in fresh if not _CALENDAR_NAME.fullmatch(name)]  # "born December 18"
                if any(m.group(1)[0].isupper() and m.group(1).lower() not in asked and not (towns and no_town(m.group(1))) and
                       not _CALENDAR_NAME.fullmatch(m.group(1)) for m in _IN_NAMED.finditer(text)):  # "born in Čáslav"
                    return True
                if somewhere_in_something(question, text):
                    return True
                return bool(_PLACE_PHRASE.search(text)) or any((_LOCATIVE.search(text[max(0, m.start() - 24):m.start()]) or _PLACE_NOUN.match(
                    text, m.end())) and not MEASURED_FROM.search(text, 0, m.start()) for name in fresh for m in re.finditer(re.escape(name), text))
            if wanted.kind == "person":  # "founded in Reading", "on Friday 7 March", "Windows systems": not a person
                fresh = [name for name in fresh if not _CALENDAR_NAME.fullmatch(name) and not any(
                    no_person_at(text, m.start(), m.end()) for m in re.finditer(re.escape(name), text))]
            if wanted.kind in ("name", "person"):  # "Kelsbridge Borough Council" is the "Kelsbridge council" asked
                named = {re.sub(r"['’]s?$", "", w.lower()) for w in names_in(question)}  # "Kingsmere's" names Kingsmere
                runs = [(run.split(), {x.lower() for x in run.split()}) for run in _NAME_RUN.findall(text)]
                taken = {w for words, lowered in runs if lowered & named  # "Mary Smith" may answer "Who is Tom Smith's
                         and (wanted.kind == "name" or lowered & _ORG_OR_PLACE or "&" in words) for w in words}  # wife?"
                fresh = [name for name in fresh if name not in taken and not _CALENDAR_NAME.fullmatch(name)]  # "last May"
            institutions = wh_nouns(question) & INSTITUTIONS
            if institutions:  # "at which Cambridge college?": "Newnham College", not "Emma Thompson"
                return bool(fresh) and any(re.search(rf"\b{noun}", text, re.I) for noun in institutions)
            return bool(fresh)
        case _:
            return True
