"""The text toolkit every layer shares: sentences, clauses, words, stems, stop words, question words, citation
markers and instruction-like text."""

from __future__ import annotations

import re

from qa.lexicon import ACRONYMS, DEMONYMS

WORD = re.compile(r"\w+")
# The attribution after a closing quotation mark: '...," he wrote on X.'
QUOTE_ATTRIBUTION = re.compile(r"[”\"]\s*(?:[,—–-]\s*)?(he|she|they)\s+\w+", re.I)
# A word with its inner apostrophes and hyphens ("US-made", "Biden's"), as names are written.
TERM = re.compile(r"[A-Za-z0-9][\w'’-]*")
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it
    its me my no not of on or our she so than that the their them then there these they this those to was we were what
    when where which who whom why will with would you your about after before also any just more most other some such
    over under up out only own same very s t don should now""".split()
)
QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())
# Question words plus the auxiliaries a question opens with: none of them names what is asked about.
QUESTION_OPENERS = QUESTION_WORDS | frozenset("did does do is are was were can could".split())
# What a question may open with before its wh-word ("And where ...?", "So, when ...?"), as a pattern's start.
QUESTION_START = r"^\W*(?:(?:and|so|but|then|ok|okay),?\s+)?"

# "When load_dotenv finds a variable already set, what does it do?": a clause setting the scene, then the question.
_SCENE_CLAUSE = re.compile(r"^\W*(?:when|if|once|after|before|while|whenever|unless)\s+(?!(?:is|are|was|were|do|does|did|"
                           r"will|would|can|could|should|has|have|had|exactly)\b)[^,?;]{3,},\s*(?=(?:what|which|who|whom|"
                           r"whose|when|where|why|how|is|are|was|were|do|does|did|can|could|should|will|would)\b)", re.I)


def main_question(question: str) -> str:
    """The question after a leading clause that only sets the scene ("When the kettle shows E4, what should I do?")."""
    return _SCENE_CLAUSE.sub("", question, count=1)


# A group of citation markers as answers carry them ("[1]", "[1, 3]", "[2; 4]"), with the space before it.
CITATION_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# The same groups written after a sentence's full stop, which claims() moves before it.
CITATION_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
# One marker as the verifier writes them ("[3]"), as the web chat links them.
CITATION_MARKER = re.compile(r"\[(\d{1,3})\]")

# Candidate sentence ends: . ! ? … (plus closing quotes/brackets) before whitespace, CJK full stops, or line breaks.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*[ \t]+|(?<=[。！？])[ \t]*|[ \t]*(?:\r\n|\r|\n)[ \t\r\n]*")
_ABBREVIATION = re.compile(r"(?:\b(?:mr|mrs|ms|dr|prof|st|sr|jr|vs|cf|fig|no|vol|approx|e\.g|i\.e|cllr|rev|revd|capt|col|"
                           r"lt|sgt|supt|insp|hon|messrs|cpl|cdr|cmdr)|\b[A-Za-z])\.$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?=(?:but|while|whereas|although|though|yet)\b)|\s+[—–]\s+|:\s+(?=[“\"A-Z])")
_LEADING_CONJUNCTION = re.compile(r"^(?:but|while|whereas|although|though|yet|and)\s+", re.I)
# "applications"/"apply", "notification"/"notify", "decision"/"decide": a noun meets the verb it is made from
_SUFFIXES = (("ifications", "ify"), ("ification", "ify"), ("lications", "ly"), ("lication", "ly"), ("isions", "ide"),
             ("ision", "ide"), ("ational", "ate"), ("ations", "ate"), ("ation", "ate"), ("ingly", ""), ("edly", ""), ("ing", ""),
             ("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) offsets, whitespace trimmed.

    A sentence ends at terminal punctuation followed by a capitalised word, at a blank line, or at a line
    break not followed by a lower-case continuation (hard-wrapped prose keeps its sentences whole)."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        gap = match.group()
        resume = match.end()
        if "\n" in gap or "\r" in gap:
            resume += _quoted_wrap(text, start, match.start(), match.end())
        following = text[resume] if resume < end else ""
        if "\n" in gap or "\r" in gap:
            paragraph = gap.count("\n") + gap.count("\r") - gap.count("\r\n") > 1
            if not paragraph and text[match.start() - 1 : match.start()] not in (".", "!", "?", ":") and \
                    (following.islower() or _wrapped_before(text, start, match.start(), resume)):
                continue  # a soft line wrap inside a sentence
            cut = match.start()
        else:
            if following.islower() or _ABBREVIATION.search(text, max(start, match.start() - 8), match.start()):
                continue  # "e.g. foo", "Dr. Smith", "J. Doe": not the end of a sentence
            cut = match.end()
        append_trimmed(text, cursor, cut, spans)
        cursor = match.end()
    append_trimmed(text, cursor, end, spans)
    return spans


# A line that cannot end a sentence: it stops on a word like "the" or "by" ("available under the\nMIT License").
_OPEN_ENDING = re.compile(r"\b(the|a|an|of|to|by|and|or|in|on|for|with|from|under|at|as|is|are|was|were|that|"
                          r"named|called)$", re.I)
_LIST_ITEM = re.compile(r"[-*•+]\s|\d{1,3}[.)]\s|#")
_PROMPT_LINE = re.compile(r"(>>>|\.\.\.|\$)\s")
WRAP_WIDTH = 40  # hard-wrapped prose fills its lines; headings, titles and list items rarely reach this


_QUOTE_PREFIX = re.compile(r"(?:>[ \t]?)+")


def _quoted_wrap(text: str, start: int, line_end: int, next_start: int) -> int:
    """The length of the e-mail quote marks ("> ", ">>") opening the next line when the line before opens with the
    same ones: a quoted paragraph is hard-wrapped prose too. A ">>> " prompt opens interpreter lines, not quotes."""
    line_start = max(text.rfind("\n", start, line_end) + 1, start)
    before, after = _QUOTE_PREFIX.match(text, line_start), _QUOTE_PREFIX.match(text, next_start)
    if not before or not after or before.group().strip() != after.group().strip() or after.group() == ">>> ":
        return 0
    return after.end() - next_start


def _wrapped_before(text: str, start: int, line_end: int, next_start: int) -> bool:
    """Whether a single line break before a capitalised word is a wrap inside a sentence ("moderated by Sven\n
    Guckes"): the line before is long prose or ends on a word no sentence ends with, and neither line is a list
    item, a table row or a rule ("-----")."""
    line_start = max(text.rfind("\n", start, line_end) + 1, start)
    line_start = _QUOTE_PREFIX.match(text, line_start).end() if next_start > line_end + 1 and \
        _QUOTE_PREFIX.match(text, line_start) else line_start  # a quoted line: its text after the quote marks
    line = text[line_start:line_end].strip()
    following = text[next_start:text.find("\n", next_start) if "\n" in text[next_start:] else len(text)]
    if not line.strip("-=_~* ") or not following[:1].isalnum() or _LIST_ITEM.match(line) or _LIST_ITEM.match(following):
        return False
    if _PROMPT_LINE.match(line) or following.rstrip().endswith("¶"):  # interpreter lines; a docs heading follows
        return False
    if " | " in line or re.search(r"\S {3,}\S", line) or all(re.match(r"[A-Z][\w'’()+ -]{0,60}:\s", x) for x in (line, following)):
        return False  # a table row, a layout table's columns, a field over a field ("Family (...): £70\nSecond-claim: £15")
    if len(following.strip()) > max(len(line) + 20, 100):  # a headline over an unwrapped paragraph
        return False
    return len(line) >= WRAP_WIDTH or bool(_OPEN_ENDING.search(line))


def append_trimmed(text: str, start: int, end: int, out: list) -> None:
    """Append (start, end) to `out` with surrounding whitespace trimmed, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def strip_markers(text: str) -> str:
    """The text without its citation markers (and the space before each)."""
    return CITATION_MARKERS.sub("", text)


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Clause spans (relative) of a sentence with several clauses, leading conjunctions trimmed; [] otherwise."""
    cuts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)]
    if not cuts:
        return []
    bounds, cursor = [], 0
    for start, end in cuts:
        bounds.append((cursor, start))
        cursor = end
    bounds.append((cursor, len(sentence)))
    out = []
    for a, b in bounds:
        if lead := _LEADING_CONJUNCTION.match(sentence[a:b]):
            a += lead.end()
        if len(sentence[a:b].split()) >= 4:
            out.append((a, b))
    return out


# Forms too short for the suffix rules to reach their verb.
_IRREGULAR = {"using": "use", "used": "use"}


def singular(word: str) -> str:
    """The lower-cased singular of a plural noun ("libraries" -> "library", "buses" -> "buse": good enough to
    compare two words cut alike); other words lower-cased."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def stem(word: str) -> str:
    """A light English stemmer: enough to match change/changed/changes, escalation/escalating, British/Britain,
    composer/composed."""
    w = word.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w.rstrip("'")
    w = DEMONYMS.get(w, _IRREGULAR.get(w, w))
    if w.isdigit() or len(w) <= 3:
        return w
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")) and \
                not (suffix == "ly" and w.endswith("ply")):  # "apply", "reply", "supply" are no adverbs
            w = w[: -len(suffix)] + replacement
            break
    if len(w) >= 6 and w.endswith("er"):  # composer/composed, founder/founded, answer/answered, larger/large
        w = w[:-2]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


# Words for the same relation, so that "Where did she study?" meets "She was educated at ..." and "the
# founder" meets "established by". General English, not any one corpus: kept to relations questions ask about.
_RELATIONS = {
    "study": "study studies studied educate educated education graduate graduated alumnus alumna alumni attend "
             "attended enrol enrolled enroll enrolled school college university trained",
    "birth": "born birth birthplace native",
    "death": "die died dies death dead",
    "found": "found founded founder establish established create created start started launch launched",
    "write": "write writes wrote written writer author authored screenwriter screenplay novelist playwright post posted "
             "tweet tweeted",
    "criticise": "criticise criticised criticize criticized criticism critic critical condemn condemned attack attacked "
                 "slam slammed unhappy complain complains complained complaint object objected objection protest "
                 "protested",
    "direct": "direct directs directed director",
    "act": "star stars starred starring actor actress played portrayed role",
    "release": "release released premiere premiered aired debut debuted publish published",
    "lead": "lead leads led leader head headed command commanded captain chair chaired run runs ran chief executive "
            "boss manage manages managed organise organised organiser organize organized organizer",
    "convict": "convict convicted conviction guilty charge charged offence offense",
    "marry": "marry married marriage wife husband spouse", "sign": "sign signs signed signing signature signatures",
    "work": "work worked works working employ employed employee job career develop developed development join joined "
            "joins hire hired",
    "add": "add added adds introduce introduced introduces new",  # "When was it added?" meets "New in version 3.9."
    "report": "report reported reports according announce announced",  # "X reported" is "according to X"
    "change": "change changed changes update updated updates modify modified revise revised revision amend amended "
              "edit edited rework reworked",
    "succeed": "succeed succeeds succeeded successor replace replaces replaced predecessor",
    "resign": "resign resigns resigned resignation quit quits",
    "discover": "discover discovers discovered notice notices noticed realise realised realize realized spot spotted "
                "learn learned learnt",
    "delay": "delay delays delayed postpone postponed postponement slip slips slipped",
    "spend": "spend spends spent spending budget budgets afford cost costs price priced",  # and any sum of money
    "remain": "still remain remains remained continue continues continued",
    "cancel": "cancel cancels cancelled canceled cancellation scrap scrapped",
    # "When did he win the Nobel Prize?": "was awarded". Not "won": "Trump's election win" would then meet "won a
    # landslide victory" and answer what the documents do not say (the vote count).
    "win": "win wins winning award awarded awards",
    "reject": "reject rejects rejected refuse refused decline declined",
    "buy": "buy buys bought buying purchase purchased purchases acquire acquired pay paid fee fees",
    "close": "close closes closed closing closure closures shut shuts shutting",  # "Which libraries are closing?"
    # "Where did she speak?" meets "said in an interview with Radio Riverton"
    "fail": "fail fails failed failing failure fault faulty malfunction malfunctioned broke broken wrong",
    "fracture": "break breaks fracture fractures fractured",  # "What did he break?" meets "a fracture of the wrist"
    "lose": "lose loses losing lost loss",
    "fix": "fix fixes fixed fixing repair repairs repaired mend mended correct corrected correcting",
    "supervise": "supervise supervises supervised supervising supervisor supervision mentor mentored",  # see _UNDER
    "due": "due deadline",  # "When is it due?" meets "we'll need it by 21 April" (see _DEADLINE)
    "rise": "rise rises rose risen rising increase increases increased increasing climb climbs climbed widen widened",
    # "Why did the margin drop?" meets "Gross margin narrowed to 41.3%"
    "fall": "fall falls fell fallen falling decrease decreases decreased decreasing drop drops dropped dropping "
            "narrow narrows narrowed narrowing shrink shrinks shrank shrunk dip dips dipped slump slumped",
    # "Is it free for children?" meets "free for under-16s" (an age band is written as children, see _unphrased)
    "child": "child children kid kids minor minors youngster youngsters toddler toddlers infant infants juvenile juveniles",
    # "What time does our flight leave?" meets "Depart London Gatwick 07:35"
    "depart": "leave leaves leaving depart departs departed departing departure departures",
    "arrive": "arrive arrives arrived arriving arrival arrivals land lands landed landing", "checkin": "checkin",
    "blame": "blame blames blamed blaming attribute attributes attributed attributing linked",  # "linked this to"
    "say": "say says said speak speaks spoke spoken talk talks talked tell tells told interview interviewed comment "
           "commented remark remarked",
    # "Does it stand for anything in Spanish?" meets "is an abbreviation for 'I love you so much' in Spanish"
    "abbreviate": "abbreviate abbreviates abbreviated abbreviation abbreviations acronym acronyms initialism initialisms",
}
# Phrasal verbs read as the one word a document may use instead: "coming out" meets "release", "took over"
# meets "succeeds". Their particles are stop words, so without this the verb alone ("come") says nothing.
_PHRASAL = {
    "release": "(?:come|comes|came|coming) out", "succeed": "(?:take|takes|took|taken|taking) over",
    "resign": "(?:step|steps|stepped|stepping|stand|stands|stood|standing) down", "found": "(?:set|sets|setting) up",
    "die": "(?:pass|passes|passed|passing) away",
    "discover": "(?:find|finds|found|finding) out", "cancel": "(?:call|calls|called|calling) off",
    "postpone": "(?:put|puts|putting) off|(?:push|pushes|pushed|pushing) back",
    "reject": "(?:turn|turns|turned|turning) down", "rise": "(?:go|goes|went|gone|going) up",
    "fall": "(?:go|goes|went|gone|going) down", "checkin": "(?:check|checks|checked|checking)[- ]?in",
    "abbreviate": "(?:stand|stands|stood|standing) for", "reach": "(?:get|gets|got|getting) to(?=\\s+(?:the\\s+)?(?-i:[A-Z]))"}
_PHRASAL_VERB = re.compile(r"\b(?:" + "|".join(f"(?P<{verb}>{forms})" for verb, forms in _PHRASAL.items()) + r")\b",
                           re.I)


# "Kenneth Elton Kesey (September 17, 1935 – November 10, 2001) was ...": the dates of a life, after the name
# that opens an entry.
LIFESPAN = re.compile(r"(?<=[A-Za-z.'’] )\((?!born\b)([^()–—]{0,30}?\b\d{3,4})\s*[–—-]\s*([^()–—]{0,30}?\b\d{3,4})\)"
                      r"(?=\s+(?:is|was|were)\b)")


def without_lifespan(text: str) -> str:
    """The text without the dates of a life, which read as "born … died …" (a sentence of dates tells no one where
    someone was born)."""
    return LIFESPAN.sub("", text)


# "1.2 miles from Ancoats", "3 miles north of Exeter": where a place is measured from, not where it is
MEASURED_FROM = re.compile(r"\d\s*(?:miles?|km|kilomet(?:er|re)s?|met(?:er|re)s?|yards?|minutes?|hours?)\s+(?:\w+\s+)?"
                           r"(?:from|of|away from)\s+(?:the\s+)?$", re.I)

# "By Tom Ellery, Health Correspondent", "**Prepared by:** Aisha Rahman": a byline says who wrote the text.
BYLINE = re.compile(r"(?:^|(?<=\n)|(?<=[.!?\]] ))[ \t*_]*(?i:by|(?:written|prepared|posted|reported|compiled) by|author)\b"
                    r"[ \t*_:]*(?=[A-Z])")


_JOB = (r"(?:[Ee]xecutive|[Dd]irector|[Mm]anager|[Rr]eporter|[Cc]orrespondent|[Aa]nalyst|[Oo]fficer|[Ll]ead|[Hh]ead|"
        r"[Ee]ditor|[Ll]ecturer|[Pp]rofessor|[Ff]ellow|[Cc]hair(?:man|woman)?|[Ss]ecretary|[Mm]inister|[Ee]ngineer|"
        r"[Dd]eveloper|[Dd]esigner|[Ff]ounder|[Pp]resident|[Ss]pokes(?:person|man|woman)|[Cc]onsultant|[Aa]dvis[eo]r|"
        r"[Cc]oordinator|[Cc]ouncillor|[Cc]oach|[Ll]eader|[Pp]artner|[Ss]urgeon|[Ll]awyer|[Bb]arrister)")
# "Julian Marsh, a retail analyst at ...", "Chief executive Claire Hendry": what someone's job is, said without "job".
JOB_AFTER_NAME = re.compile(rf"(\b[A-Z][a-z][\w'’-]*), (?=(?:an? |the |our |its |their )?(?:[\w-]+ ){{0,3}}?{_JOB}s?\b)")
_JOB_BEFORE_NAME = re.compile(rf"\b(?={_JOB} [A-Z][a-z])")

# "under-16s", "the under-fives": children of an age band
_AGE_BAND = re.compile(r"\bunder[- ](?:1[0-8]|[2-9]|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)s\b", re.I)


# "by 21 April", "by the end of June": a deadline
_DEADLINE = re.compile(r"\bby (?=(?:\d{1,2}(?:st|nd|rd|th)? )?(?:January|February|March|April|May|June|July|August|"
                       r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                       r"Sunday)\b|the end of\b)")


# "a doctorate under Professor Aubert", "trained under Escoffier": supervised by them
_UNDER = re.compile(r"\b(doctorate|phd|thesis|studied|studying|trained|training|apprenticed|worked|working)\s+under\b", re.I)
_WHOLE_UNIT = re.compile(r"\b(\d+)\.0+(?=[A-Za-z]{1,3}\b)")  # "the 4.0Ah pack" is the "4Ah" one


def _unphrased(text: str) -> str:
    text = _DEADLINE.sub("due by ", _AGE_BAND.sub(lambda m: f"{m.group()} children", _WHOLE_UNIT.sub(r"\1", text)))
    text = _UNDER.sub(r"\1 supervised under", text)
    text = LIFESPAN.sub(lambda m: f"(born {m.group(1)} – died {m.group(2)})", text)  # "When was he born?"
    text = BYLINE.sub(lambda m: f"written {m.group()}", text)  # "Who wrote the article?"; "Prepared by" stays
    text = _JOB_BEFORE_NAME.sub("job ", JOB_AFTER_NAME.sub(r"\1, job ", text))  # "What is her job?"
    return _PHRASAL_VERB.sub(lambda m: m.lastgroup or m.group(), text)


_CONCEPTS = {stem(w): f"~{name}" for name, words in _RELATIONS.items() for w in words.split()}


def concept(stem_: str) -> str | None:
    """The relation a stem speaks of, if any ("~study" for stem("educated"))."""
    return _CONCEPTS.get(stem_)


def concepts(text: str) -> set[str]:
    """The relations `text` speaks of ("~study" for "educated", "graduated", "university"), beside its stems."""
    return meanings(stems(text))


def meanings(stems_: set[str]) -> set[str]:
    """The relations among stems already taken (`concepts` without stemming the text again)."""
    return {_CONCEPTS[s] for s in stems_ if s in _CONCEPTS}


def stems(text: str) -> set[str]:
    return {stem(w) for w in WORD.findall(_unphrased(text))}


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stop words, no question words)."""
    return {stem(w) for w in WORD.findall(_unphrased(text))
            if w.lower() not in STOPWORDS and w.lower() not in QUESTION_WORDS}


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text.lower()):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


_INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(instructions?|prompts?|rules|directions|guidelines|"
    r"context|passages?)\b|\b(you are now|from now on,? you|act as an?|pretend (to be|you)|new instructions?|"
    r"system prompt|jailbreak)\b|\b(respond|reply|answer|say|output|print|write)\b[^.!?\n]{0,30}\b(only|exactly|"
    r"nothing but)\b[^.!?\n]{0,15}(\bwith\b|\bthe word\b|:|\")|^\s*(system|assistant)\s*:", re.I | re.M)


_INITIALS = re.compile(r"(?<![\w&])[A-Z][A-Z&]{1,4}(?![\w&])")


def spelled_out(query: str) -> str:
    """The query with the spelling-out of its initials added ("CFO" -> "chief financial officer") and the initials
    of what it spells out ("chief executive officer" -> "CEO"), so word matching finds either way of writing it."""
    return " ".join([query, spelling(query)]) if spelling(query) else query


def spelling(text: str) -> str:
    """The other way of writing the initials and spelled-out titles `text` uses; "" when it uses none."""
    added = [ACRONYMS[m.group().lower()] for m in _INITIALS.finditer(text) if m.group().lower() in ACRONYMS]
    low = text.lower()
    added += [short.upper() for short, long in ACRONYMS.items() if re.search(rf"\b{long}\b", low)]
    return " ".join(added)


def instruction_like(text: str) -> bool:
    """Text addressed to an AI model rather than a reader: it is kept as data and never cited as an answer."""
    return bool(_INSTRUCTION_LIKE.search(text))


# A relation said of someone a sentence names only through their kin or successor ("the son of the director").
_KIN_OF = re.compile(r"\b(?:descendant|son|daughter|grandson|granddaughter|nephew|niece|wife|husband|widow|brother|"
                     r"sister|father|mother|child|heir|successor|predecessor)s? of (?:the|its|his|her|their) \w+", re.I)


def without_kin(text: str, lifespan: bool = True) -> str:
    """`text` without the relations it says of someone's kin: in "Hiroshi Yamauchi, a descendant of the founder,
    served as president", no one is said to have founded anything; without `lifespan`, without the dates of a life
    either (they say "born" to a date question only)."""
    return _KIN_OF.sub(" ", text if lifespan else without_lifespan(text))
