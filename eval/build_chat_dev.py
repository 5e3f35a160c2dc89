"""Writes eval/sets/chat_dev.jsonl: a dev-only conversational set over documents unlike the conversations corpus.

Corpus (eval/sets/chat_dev_corpus/), every file copied unchanged (sedfaq.txt only gunzipped) from Debian
packages installed on the build machine; provenance lives here rather than in a SOURCES.md inside the folder
because docqa ingests Markdown, so such a file would become a document of the corpus:

* ``unicode.html``, ``sockets.html``, ``json.html``, ``venv.html``, ``whatsnew_2_0.html`` — Python 3.11 docs
  from ``python3.11-doc`` 3.11.2-6+deb12u9 (``/usr/share/doc/python3.11/html/`` ``howto/unicode.html``,
  ``howto/sockets.html``, ``library/json.html``, ``tutorial/venv.html``, ``whatsnew/2.0.html``); PSF
  documentation licence (Python's ``license.html``). None is in eval/sets/conversations_corpus/.
* ``nodejs_readme.md`` — ``/usr/share/doc/nodejs/README.md`` of ``nodejs`` 20.20.2-1nodesource1; MIT licence
  (``/usr/share/doc/nodejs/copyright``, and the README's own "License" section).
* ``sedfaq.txt`` — ``/usr/share/doc/sed/sedfaq.txt.gz`` of ``sed`` 4.9-1 (The sed FAQ by Eric Pement, version
  015, 10 March 2003), shipped under the package's ``Files: *`` GPL-3+ terms (``/usr/share/doc/sed/copyright``).

Each thread is (source, opening turns, follow-ups); a follow-up is (question, gold answers[, assistant reply]),
[] meaning the corpus does not say (the right output is an abstention; checked by grepping the corpus). Golds
are short strings found verbatim in the source as docqa's loaders read it (`main` refuses to write otherwise).
The assistant reply in later turns' history defaults to the first gold. This set is for fitting and checking
dev-time choices (selector, calibration) only; `python -m eval.build_chat_dev` rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "sets"
CORPUS = HERE / "chat_dev_corpus"
OUT = HERE / "chat_dev.jsonl"
ABSTAIN = "I could not find this in the documents."

THREADS = [
    # --- howto/unicode.html -------------------------------------------------------------------------------
    ("unicode.html", [("Who wrote the first draft of the Unicode HOWTO?", "Andrew Kuchling did.")],
     [("Has anyone revised it since?", ["Alexander Belopolsky", "Georg Brandl", "Ezio Melotti"],
       "Yes: Alexander Belopolsky, Georg Brandl, Andrew Kuchling and Ezio Melotti."),
      ("Which release of the document is this?", ["1.12"]),
      ("When did he write the first version?", [])]),
    ("unicode.html", [("What's the highest code point Unicode allows?", "0x10FFFF, which is 1,114,111 in decimal.")],
     [("So roughly how many values is that?", ["1.1 million"]),
      ("What are the rules for turning a sequence of them into bytes called?", ["character encoding"],
       "A character encoding."),
      ("Who runs the consortium behind it?", [])]),
    ("unicode.html", [("Why isn't a plain 32-bit representation used much?",
                       "It isn't portable, wastes a lot of space and doesn't work with C functions like strlen().")],
     [("What does the 8 in UTF-8 refer to?", ["8-bit values"]),
      ("How many bytes does it need for code points of 128 and up?", ["two, three, or four bytes"]),
      ("Which other UTF encodings are there?", ["UTF-16", "UTF-32"]),
      ("Who invented it?", [])]),
    ("unicode.html", [("Is there a video about the history of Unicode?",
                       "Yes, Tom Scott discusses it on the Computerphile YouTube channel.")],
     [("How long is his video?", ["9 minutes 36 seconds"]),
      ("Who wrote the guide to reading the character tables?", ["Jukka Korpela"]),
      ("In what year did he publish it?", [])]),
    ("unicode.html", [("What encoding does Python assume for source files?", "UTF-8, by default.")],
     [("How do I declare a different one?", ["special comment", "first or second line"],
       "With a special comment on the first or second line of the file."),
      ("Which editor's notation is that syntax borrowed from?", ["Emacs"]),
      ("Which PEP has the details?", ["PEP 263"])]),
    ("unicode.html", [("How can I edit a file when I don't know its encoding?",
                       "Open it with the surrogateescape error handler.")],
     [("Where do the non-ASCII bytes end up?", ["U+DC80", "U+DCFF"],
       "In a special range of code points from U+DC80 to U+DCFF."),
      ("How much slower is that than the strict handler?", [])]),
    # --- howto/sockets.html -------------------------------------------------------------------------------
    ("sockets.html", [("Who wrote the socket programming HOWTO?", "Gordon McMillan.")],
     [("Which kinds of sockets does he cover?", ["INET", "STREAM"], "Only INET (IPv4) STREAM (TCP) sockets."),
      ("What share of the sockets in use are those?", ["at least 99%", "99%"]),
      ("Which company was he working for when he wrote it?", [])]),
    ("sockets.html", [("Where do sockets come from originally?", "Berkeley, as part of the BSD flavor of Unix.")],
     [("Why did they catch on so quickly?", ["internet"], "They spread like wildfire with the internet."),
      ("What year were they first released?", [])]),
    ("sockets.html", [("What's the fastest way for two processes on one machine to talk?",
                       "Pipes or shared memory.")],
     [("And if I go with AF_INET sockets anyway?", ["localhost"], "Bind the server socket to 'localhost'."),
      ("Which module wraps cross-platform IPC in a higher-level API?", ["multiprocessing"]),
      ("How many times faster are pipes than a localhost socket?", [])]),
    ("sockets.html", [("What does it mean when recv gives back 0 bytes?",
                       "The other side has closed the connection.")],
     [("Is there some end-of-transmission marker I can wait for?", ["no EOT"],
       "No, there is no EOT on a socket."),
      ("What chunk size works well with network buffers?", ["4096", "8192"]),
      ("How do I switch a socket to non-blocking mode?", ["socket.setblocking(False)"]),
      ("What's the largest message I can send in one call?", [])]),
    ("sockets.html", [("What byte order is used on the network?", "Big-endian: the most significant byte first.")],
     [("And on most common processors?", ["little-endian"]),
      ("Which calls convert between them?", ["ntohl", "htonl", "ntohs", "htons"]),
      ("Who added them to the socket library?", [])]),
    ("sockets.html", [("What does the 5 in serversocket.listen(5) do?",
                       "It queues up to 5 connect requests before refusing outside connections.")],
     [("Which ports should I use when I'm just experimenting?", ["high number", "4 digits"],
       "A nice high number, with 4 digits."),
      ("Why shouldn't I rely on garbage collection to close the socket?", ["hang indefinitely"])]),
    # --- library/json.html --------------------------------------------------------------------------------
    ("json.html", [("Which standards specify JSON?", "RFC 7159 and ECMA-404.")],
     [("Which older RFC did the first one obsolete?", ["RFC 4627"]),
      ("What did that old one require of the top-level value?", ["object or array"]),
      ("Who are their authors?", [])]),
    ("json.html", [("Will the json module read NaN?", "Yes, by default it accepts Infinity, -Infinity and NaN.")],
     [("Is that valid according to the RFC?", ["does not permit"], "No, the RFC does not permit it."),
      ("Which parameter changes this when serializing?", ["allow_nan"]),
      ("And when deserializing?", ["parse_constant"]),
      ("Does simplejson handle it the same way?", [])]),
    ("json.html", [("What happens when a JSON object repeats a key?",
                    "The module keeps only the last name-value pair for that name.")],
     [("Can I change that?", ["object_pairs_hook"], "Yes, with the object_pairs_hook parameter."),
      ("Since which Python version does the function support it?", ["3.1"]),
      ("If both hooks are given, which one wins?", ["object_pairs_hook"])]),
    ("json.html", [("How can I pretty-print a JSON file from the command line?", "Use python -m json.tool.")],
     [("Since when does it keep keys in the input order?", ["3.5"]),
      ("Which option treats every line as a separate object?", ["--json-lines"]),
      ("Who wrote the tool?", [])]),
    ("json.html", [("Is JSON a subset of YAML?", "Yes, of YAML 1.2.")],
     [("So can this module serialize YAML?", ["YAML serializer"]),
      ("Which YAML library does the page recommend for loading it?", [])]),
    ("json.html", [("Why should I be careful parsing JSON from untrusted sources?",
                    "A malicious string can make the decoder use a lot of CPU and memory.")],
     [("What does the page suggest doing about it?", ["Limiting the size"]),
      ("What exception is raised for an invalid document?", ["JSONDecodeError"]),
      ("In which version was that exception added?", ["3.5"]),
      ("What maximum size does it recommend, in megabytes?", [])]),
    # --- tutorial/venv.html -------------------------------------------------------------------------------
    ("venv.html", [("Which module do I use to create a virtual environment?", "venv.")],
     [("What's a usual directory name for one?", [".venv"]),
      ("Why is that name a good choice?", ["hidden", "out of the way"], "It keeps the directory hidden and out of the way."),
      ("How much disk space does a new one take?", [])]),
    ("venv.html", [("How do I activate a virtual environment on Windows?", r"Run tutorial-env\Scripts\activate.bat.")],
     [("What about the csh or fish shells?", ["activate.csh", "activate.fish"]),
      ("And how do I get out of it again?", ["deactivate"]),
      ("Is there a script for PowerShell too?", [])]),
    ("venv.html", [("What installs packages into a virtual environment?", "pip.")],
     [("Where does it download them from by default?", ["Python Package Index"]),
      ("Which subcommand prints the installed packages in a form install can read back?", ["freeze"]),
      ("What file do people usually keep that list in?", ["requirements.txt"]),
      ("Who created it?", [])]),
    ("venv.html", [("Why would two applications need separate environments?",
                    "They may need conflicting versions of the same library.")],
     [("What exactly does one of those environments contain?", ["self-contained directory tree"],
       "A self-contained directory tree with a Python installation and extra packages."),
      ("Does upgrading a library in one affect the other?", ["will not affect"], "No, it will not affect the other.")]),
    # --- whatsnew/2.0.html --------------------------------------------------------------------------------
    ("whatsnew_2_0.html", [("When did Python 2.0 come out?", "On October 16, 2000.")],
     [("Who wrote the overview of what's new in it?", ["A.M. Kuchling", "Moshe Zadka"],
       "A.M. Kuchling and Moshe Zadka."),
      ("What was the biggest new feature?", ["Unicode strings"]),
      ("Who did most of the implementation of that?", ["Marc-André Lemburg", "Lemburg"]),
      ("Whose string type was his work based on?", ["Fredrik Lundh"])]),
    ("whatsnew_2_0.html", [("Why was there a Python 1.6 release at all?",
                            "CNRI asked for one after the core team left in May 2000.")],
     [("Which came out first, 1.6final or 2.0beta1?", ["same day", "September 5, 2000"],
       "Neither: both were released on the same day, September 5, 2000."),
      ("What was the most important new thing in it?", ["Unicode support"]),
      ("How many people downloaded it?", [])]),
    ("whatsnew_2_0.html", [("Where did Python's development move in May 2000?", "To SourceForge.")],
     [("How many people could check in changes after that?", ["27"]),
      ("And before?", ["roughly 7", "7 or so"]),
      ("Who converted the C sources to ANSI C?", ["Peter Schneider-Kamp"]),
      ("Where did he get the go-ahead?", ["python-dev mailing list", "python-dev"])]),
    ("whatsnew_2_0.html", [("Who gets the final say on a patch after the developers vote?",
                            "Guido van Rossum, the Benevolent Dictator For Life.")],
     [("Can he go against the vote?", ["ignore the result of a vote", "approve or reject"]),
      ("Which group's voting process was this modelled on?", ["Apache"]),
      ("When was he given that title?", []),
      ("What are the design documents for new features called?", ["Python Enhancement Proposals", "PEPs"])]),
    ("whatsnew_2_0.html", [("Where did the idea of list comprehensions come from?", "From Haskell.")],
     [("Who argued most convincingly for adding them?", ["Greg Ewing"]),
      ("Who kept his patch up to date?", ["Skip Montanaro"]),
      ("And augmented assignment, who implemented that?", ["Thomas Wouters"]),
      ("When was his patch first submitted?", [])]),
    ("whatsnew_2_0.html", [("How does Python 2.0 handle reference cycles?",
                            "It periodically runs a cycle detection algorithm that deletes unreachable cycles.")],
     [("Who suggested the algorithm?", ["Eric Tiedemann"]),
      ("Who wrote the implementations of it?", ["Neil Schemenauer", "Guido van Rossum"],
       "Guido van Rossum and Neil Schemenauer, later integrated by Neil."),
      ("Can I turn it off if I think it's buggy?", ["--without-cycle-gc"]),
      ("How much memory does it typically save?", [])]),
    ("whatsnew_2_0.html", [("Who led the work on the Distutils?", "Greg Ward shepherded the distutils SIG.")],
     [("What file do I have to write to use them?", ["setup.py"]),
      ("Which command builds an RPM?", ["bdist_rpm"]),
      ("When did he start that group?", [])]),
    ("whatsnew_2_0.html", [("What did Ka-Ping Yee write when Python moved to SourceForge?",
                            "An HTML screen-scraper that sends more useful notification e-mails.")],
     [("Why did he have to?", ["completely unhelpful"], "SourceForge's default notification e-mails were completely unhelpful."),
      ("What language did he write it in?", [])]),
    ("whatsnew_2_0.html", [("What did Yakov Markovitch contribute to Python 2.0?", "Faster threading support on Windows.")],
     [("How slow was threaded 1.5.2 on NT before his change?", ["twice as slow"]),
      ("And with 2.0?", ["only 10%", "10%"])]),
    # --- nodejs README.md ---------------------------------------------------------------------------------
    ("nodejs_readme.md", [("How often does Node.js release a new major version?", "Every 6 months, in April and October.")],
     [("How long are the October releases supported?", ["8 months"]),
      ("What happens to the April ones?", ["convert to LTS"]),
      ("Which major versions end up as LTS?", ["even-numbered"]),
      ("How long do those get active support?", ["12 months"]),
      ("And maintenance after that?", ["18 months"]),
      ("When does Node.js 24 reach end of life?", [])]),
    ("nodejs_readme.md", [("What was the code name of the first LTS line?", "Argon, starting with v4.")],
     [("How are the later names chosen?", ["alphabetically"], "They are ordered alphabetically."),
      ("Which version is Hydrogen?", ["Node.js 18"]),
      ("Who comes up with the names?", [])]),
    ("nodejs_readme.md", [("Which organisation supports the Node.js project?", "The OpenJS Foundation.")],
     [("What kind of governance does the project have?", ["open governance"]),
      ("What licence is Node.js released under?", ["MIT"], "The MIT License."),
      ("How much money does the foundation give the project?", [])]),
    ("nodejs_readme.md", [("Who handles Node.js security releases?", "Security release stewards, on a rotation.")],
     [("Who commits to the rotation slots?", ["companies"], "Companies commit to the slots when possible."),
      ("Who are the stewards from NodeSource?", ["Juan José Arboleda", "Rafael Gonzaga"],
       "Juan José Arboleda and Rafael Gonzaga."),
      ("And from Datadog?", ["Bryan English"]),
      ("How many security releases did they ship last year?", [])]),
    ("nodejs_readme.md", [("How do I check that a Node.js download is genuine?",
                           "Use the SHASUMS256.txt.asc file in the download directory.")],
     [("What's in that file?", ["SHA checksums", "PGP signature"]),
      ("Where can I get a trusted keyring?", ["nodejs/release-keys"]),
      ("How often are the nightly builds made?", ["every 24-hours"]),
      ("How big is the Windows installer?", [])]),
    ("nodejs_readme.md", [("Is Joyee Cheung on the Node.js TSC?", "Yes, she is one of the TSC voting members.")],
     [("How can I email her?", ["joyeec9h3@gmail.com"]),
      ("When did she join it?", [])]),
    # --- sedfaq.txt ---------------------------------------------------------------------------------------
    ("sedfaq.txt", [("Who wrote the original sed?", "Lee E. McMahon, in 1973 or 1974.")],
     [("What does its name stand for?", ["Stream EDitor"]),
      ("Where was he working then?", [])]),
    ("sedfaq.txt", [("Who maintains the sed FAQ?", "Eric Pement.")],
     [("When was it last updated?", ["10 March 2003"]),
      ("Which version of the FAQ is that?", ["015"]),
      ("Where are new questions discussed before they are added?", ["sed-users mailing list"]),
      ("Where does he teach?", [])]),
    ("sedfaq.txt", [("Which version of sed does the FAQ recommend?", "ssed, super-sed.")],
     [("Why that one?", ["same codebase with GNU sed", "most options"],
       "It shares the codebase with GNU sed and has the most options."),
      ("What's the latest official GNU sed listed?", ["GNU sed v4.0.5", "v4.0.5"]),
      ("What does that release add?", ["in-place text replacement"])]),
    ("sedfaq.txt", [("Is there a mailing list about sed?", "Yes, two: sed-users in English and sed-BR in Portuguese.")],
     [("Who moderates the English one?", ["Sven Guckes"]),
      ("How much mail does it get?", ["35 messages a week"]),
      ("And the Portuguese one?", ["15 messages a week"]),
      ("When was it started?", [])]),
    ("sedfaq.txt", [("What's a good book for learning sed?",
                     "Sed & Awk, 2nd edition, by Dale Dougherty and Arnold Robbins.")],
     [("How much of it is about sed?", ["40 percent"]),
      ("How much does it cost?", ["$30.00"]),
      ("Who publishes it?", ["O'Reilly"]),
      ("How many pages does it have?", [])]),
    ("sedfaq.txt", [("How big is awk compared with sed?", "Awk is 3-10 times larger than sed.")],
     [("And perl?", ["8 to 35 times larger"]),
      ("What can sed do that awk can't?", ["backreferences"]),
      ("Which is quicker for simple substitutions?", ["sed executes more quickly"],
       "sed executes more quickly than perl or awk.")]),
    ("sedfaq.txt", [("Whose sed did the GNU project use at first?", "Eric S. Raymond's, ESR sed v1.1.")],
     [("Why did they stop using it?", ["too many built-in limits"]),
      ("Who reworked it in 1991?", ["Howard Helman"]),
      ("Which operating system still ships Raymond's version?", ["Minix"]),
      ("When did Raymond first release v1.1?", [])]),
]


def _turns(question: str, answers: list[str], reply: str | None = None) -> tuple[str, list[str], str]:
    return question, answers, reply or (f"{answers[0]}." if answers else ABSTAIN)


def cases() -> list[dict]:
    out = []
    for t, (source, opening, follow_ups) in enumerate(THREADS, start=1):
        history = [m for user, assistant in opening for m in ({"role": "user", "content": user},
                                                              {"role": "assistant", "content": assistant})]
        for i, follow_up in enumerate(follow_ups, start=1):
            question, answers, reply = _turns(*follow_up)
            out.append({"id": f"chat-{t:02d}-{i}", "question": question, "answers": answers,
                        "sources": [source] if answers else [], "history": list(history),
                        "category": "multi_turn" if answers else "unanswerable"})
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": reply}]
    return out


def missing_golds(rows: list[dict]) -> list[str]:
    """Every (case, gold) whose gold is not in its source as docqa reads it; empty when the set is sound."""
    from eval.metrics import contains_gold
    from ingest.loaders import load_file

    texts = {p.name: load_file(p).text for p in CORPUS.iterdir() if p.is_file()}
    return [f"{row['id']}: {gold!r} not in {row['sources']}" for row in rows for gold in row["answers"]
            if not any(contains_gold(texts.get(s, ""), [gold]) for s in row["sources"])]


def main() -> None:
    rows = cases()
    if problems := missing_golds(rows):
        raise SystemExit("\n".join(problems))
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} cases in {len(THREADS)} threads, {sum(1 for r in rows if not r['answers'])} unanswerable")


if __name__ == "__main__":
    main()
