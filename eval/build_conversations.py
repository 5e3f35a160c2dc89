"""Writes eval/sets/conversations_{dev,test}.jsonl: multi-turn questions over Python's own documentation.

The corpus (eval/sets/conversations_corpus/) is seven HTML pages of Debian's python3.11-doc 3.11.2 (PSF
documentation licence), copied as they are; the rendered pages do not name module authors, so "Who wrote it?"
about a module is unanswerable. Threads alternate between the dev and the test split, so a
conversation never straddles both. `python -m eval.build_conversations` rewrites the two files.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "sets"

# (source, [(user, assistant), ...] opening turns, [(follow-up question, gold answers), ...]); [] = unanswerable.
THREADS = [
    ("license.html", [("Who created Python?", "Guido van Rossum created Python in the early 1990s.")],
     [("Where was he working at the time?", ["Stichting Mathematisch Centrum", "CWI"]),
      ("And where did he continue his work in 1995?", ["CNRI", "Corporation for National Research Initiatives"]),
      ("Which university did he graduate from?", [])]),
    ("license.html", [("When did Guido and the core developers move to BeOpen.com?", "In May 2000.")],
     [("What team did they form there?", ["PythonLabs"]),
      ("Where did that team go in October of that year?", ["Digital Creations"]),
      ("How much did the company pay them?", [])]),
    ("license.html", [("When was the Python Software Foundation formed?", "In 2001.")],
     [("What was it created to do?", ["Intellectual Property"]),
      ("Which company is a sponsoring member of it?", ["Zope Corporation"]),
      ("How many people work there?", [])]),
    ("license.html", [("Which language came before Python?", "Python was a successor of a language called ABC.")],
     [("Who is the principal author of Python?", ["Guido"]),
      ("In which country was he working when he created it?", ["Netherlands"])]),
    ("faq_general.html", [("Why is the language called Python?",
                          "Guido van Rossum was reading the scripts of Monty Python's Flying Circus.")],
     [("What kind of show was that?", ["comedy series", "BBC comedy"]),
      ("When was it on?", ["1970s"]),
      ("Who were its main actors?", [])]),
    ("faq_general.html", [("Which group was Guido working in at CWI?",
                          "The Amoeba distributed operating system group.")],
     [("Why did they need a better language?", ["system administration", "Bourne shell"]),
      ("When did he start writing Python?", ["1989", "Christmas holidays"])]),
    ("faq_general.html", [("When was Python first made public?", "In February 1991.")],
     [("Where did he post it?", ["USENET"]),
      ("How long had he been working on it by then?", ["just over a year", "over a year"])]),
    ("faq_general.html", [("Where did Python's exception syntax come from?", "From Modula-3.")],
     [("and the use of indentation for grouping statements?", ["ABC"]),
      ("Did Guido talk to its designers?", ["Modula-3"])]),
    ("faq_general.html", [("Is there a newsgroup about Python?", "Yes, comp.lang.python.")],
     [("How busy is it?", ["hundreds of postings"]),
      ("What about the announce list?", ["five postings", "about five"]),
      ("Who moderates it?", [])]),
    ("faq_general.html", [("How are Python versions numbered?", "As A.B.C or A.B.")],
     [("What does the C mean?", ["micro version"]),
      ("And the B?", ["minor version"]),
      ("When is the A incremented?", ["really major changes", "major changes"])]),
    ("faq_general.html", [("How stable is Python?", "Very stable; new releases come out regularly.")],
     [("How often is there a major new release now?", ["12 months"]),
      ("Which PEP set that schedule?", ["PEP 602"])]),
    ("faq_general.html", [("What is the Python Software Foundation?",
                          "An independent non-profit organization that holds the copyright on Python.")],
     [("Is its logo trademarked?", ["trademarked"]),
      ("What is its annual budget?", [])]),
    ("sorting.html", [("What does list.sort() return?", "None; it modifies the list in place.")],
     [("And sorted()?", ["new sorted list"]),
      ("Which of the two accepts any iterable?", ["sorted"])]),
    ("sorting.html", [("Which sorting algorithm does Python use?", "Timsort.")],
     [("Why is it good at doing several sorts in a row?", ["ordering already present"]),
      ("Who invented it?", [])]),
    ("sorting.html", [("What is another name for the Decorate-Sort-Undecorate idiom?", "The Schwartzian transform.")],
     [("Who is it named after?", ["Randal L. Schwartz", "Randal"]),
      ("Among which programmers did he popularize it?", ["Perl"]),
      ("Where was he born?", [])]),
    ("sorting.html", [("Are sorts in Python stable?", "Yes, sorts are guaranteed to be stable.")],
     [("What does that mean exactly?", ["original order is preserved", "same key"]),
      ("Who wrote the sorting how-to?", ["Andrew Dalke"])]),
    ("sorting.html", [("What is a key function used for when sorting?",
                      "It is called on each list element before comparisons are made.")],
     [("How do I turn an old comparison function into one?", ["functools.cmp_to_key"]),
      ("Is the DSU approach still needed now?", ["not often needed"])]),
    ("secrets.html", [("What is the secrets module for?",
                      "Generating cryptographically strong random numbers for passwords and tokens.")],
     [("Why shouldn't I use the random module for that?", ["modelling and simulation"]),
      ("Since which version is it available?", ["3.6"]),
      ("Who wrote it?", [])]),
    ("secrets.html", [("What does token_hex return?", "A random text string in hexadecimal.")],
     [("And token_urlsafe?", ["URL-safe", "Base64"]),
      ("How many characters does each byte become on average?", ["1.3"]),
      ("Is it faster than token_hex?", [])]),
    ("secrets.html", [("How much randomness do tokens need to resist brute-force attacks?",
                      "As of 2015, 32 bytes (256 bits) is believed sufficient.")],
     [("Will that always be enough?", ["increase as computers get more powerful", "more powerful"]),
      ("Which PEP proposed the module?", [])]),
    ("zoneinfo.html", [("What does the zoneinfo module do?", "It provides IANA time zone support.")],
     [("When was it added?", ["3.9"]),
      ("Who wrote it?", []),
      ("Where does it get its data if the system has none?", ["tzdata"]),
      ("How big is that package?", [])]),
    ("appetite.html", [("Which operating systems is Python available on?", "Windows, macOS and Unix.")],
     [("Why does it save time during development?", ["no compilation"]),
      ("Which languages does the tutorial compare it with?", ["Awk", "Perl", "C"])]),
    ("statistics.html", [("What does statistics.fmean do?", "It computes a fast floating point arithmetic mean.")],
     [("In which version was it added?", ["3.8"]),
      ("Can it take weights?", ["weights"]),
      ("Is it faster than numpy's mean?", [])]),
    ("faq_general.html", [("What kind of language is Python?",
                          "An interpreted, interactive, object-oriented programming language.")],
     [("Can I sell copies of it?", ["sell copies"]),
      ("Where can I find third-party packages for it?", ["Python Package Index"]),
      ("How many packages are there?", [])]),
    ("zoneinfo.html", [("Which environment variable sets the time zone search path?", "PYTHONTZPATH.")],
     [("Can it contain relative paths?", ["Relative components"]),
      ("What error is raised when it has a bad component?", ["InvalidTZPathWarning", "invalid component"]),
      ("Who maintains the IANA database?", [])]),
    ("license.html", [("Are all Python releases open source?", "Yes, all Python releases are Open Source.")],
     [("Are they all GPL-compatible too?", ["not all", "most, but not all"]),
      ("Which organization owned the 1.6 release?", ["CNRI"]),
      ("How much did it charge for it?", [])]),
    ("sorting.html", [("Who wrote the Sorting HOW TO?", "Andrew Dalke and Raymond Hettinger.")],
     [("What does their document say list.sort() is only defined for?", ["lists"]),
      ("What is their favourite sorting algorithm?", [])]),
    ("statistics.html", [("When was the statistics module added?", "In Python 3.4.")],
     [("Who is its author?", []),
      ("What kind of median does median_low return?", ["low median"])]),
]


def cases() -> list[tuple[int, dict]]:
    out = []
    for t, (source, opening, follow_ups) in enumerate(THREADS):
        history = [m for user, assistant in opening for m in ({"role": "user", "content": user},
                                                              {"role": "assistant", "content": assistant})]
        for i, (question, answers) in enumerate(follow_ups, start=1):
            out.append((t, {"id": f"conv-{t + 1:02d}-{i}", "question": question, "answers": answers,
                            "sources": [source] if answers else [], "history": list(history),
                            "category": "multi_turn" if answers else "unanswerable"}))
            # The next turn sees this one answered (a short reply in the user's words) or abstained.
            reply = f"{answers[0]}." if answers else "I could not find this in the documents."
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": reply}]
    return out


def main() -> None:
    splits = {"dev": [], "test": []}
    for thread, case in cases():
        splits["dev" if thread % 2 == 0 else "test"].append(case)
    for name, rows in splits.items():
        path = HERE / f"conversations_{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{path}: {len(rows)} cases, {sum(1 for r in rows if not r['answers'])} unanswerable")


if __name__ == "__main__":
    main()
