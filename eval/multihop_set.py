"""Builds the multi-hop bridge question set and its corpus: fictional encyclopedia entries, generated offline.

    python -m eval.multihop_set [--out eval/sets]     # rewrites multihop_corpus/, multihop_dev.jsonl, multihop_test.jsonl

Provenance: everything is made up by this script from fixed word lists and a fixed seed (no external data,
so no answer can be known from a model's pretraining). The corpus has entries on works (bridges, novels,
symphonies, ships, companies, expeditions) and on people. A work's entry names the person behind it; that
person's own entry never names the work. Each question asks about the person behind a work without naming
the person ("In which town was the architect of the Quellmoor Bridge born?"), so answering needs both entries:
the work's (hop 1, names the bridge entity) and the person's (hop 2, holds the answer). `sources` lists both.
Distractors: people of the same profession with no work, and works by people the questions never ask about.
Cases are split by a hash of their id: one in three goes to dev (tuning), the rest to test (reporting).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

SEED = 20261130
FIRST = ("Aldric Berenice Caspian Delphine Evander Fenella Gideon Halcyon Isolde Jaspar Kestrel Linnea Mattias "
         "Noemi Osric Perpetua Quillon Rosamund Soren Tamsin Ulric Verity Wystan Xanthe Yorick Zinnia Ambrose "
         "Briony Cormac Davina Emrys Faustine Gareth Hesper Ignatius Juno Leopold Marisol Niall Ottilie").split()
LAST = ("Quistorp Harrowgate Vellacourt Ashbury Drummore Fenwright Galloway Hollins Ingram Jessop Kettering Lockhart "
        "Marchbank Nettleton Oakhurst Pendry Quarles Ravensworth Stanmore Thistlewood Underhill Varga Whitlock "
        "Yardley Zellweger Abernethy Blackwood Carraway Dunmore Elsworth Fairbairn Greaves Hargreave Ibbotson "
        "Kilbride Lindqvist Montague Northcott Ormsby Pickering").split()
TOWNS = ("Marrowby Elsinvale Quellport Thornwick Ardencroft Brackenmoor Caldergate Dunhallow Eskerby Fallowmere "
         "Glenhythe Hollowmere Ivybridge Kelderwick Larkhaven Mirefield Northolme Oxenhope Pellridge Ravenmouth "
         "Saltcombe Tamberley Umbersfield Wrenford Yarrowdale Ashcombe Brightwater Coldharbour Dewsford Emberton").split()
SCHOOLS = ("the Carrow Institute of Technology", "Halden University", "the Royal Academy of Westmarch",
           "the University of Sorrel Bay", "Pemberton College", "the Ostrava School of Design",
           "the Kingsmere Conservatory", "Lindholm University", "the Northgate Polytechnic", "Saint Aubyn's College",
           "the Varden Naval Academy", "Greyfriars University")
PRIZES = ("the Orrin Medal", "the Calloway Prize", "the Silver Lantern Award", "the Meridian Fellowship",
          "the Ashcroft Laurel", "the Brennan Cup", "the Hollis Gold Medal", "the Tarrant Award",
          "the Quill of Essen", "the Northern Star Honour")
SUBJECTS = ("engineering", "literature", "music", "navigation", "economics", "geography", "mathematics", "history")


@dataclass(frozen=True)
class Kind:
    noun: str          # what the work is
    role: str          # the person behind it, as a question would say it
    verb: str          # how the work entry says it
    names: tuple[str, ...]
    place_words: tuple[str, ...]


KINDS = (
    Kind("bridge", "architect", "was designed by the architect", ("Bridge", "Viaduct"), ("spans the river at", "crosses the estuary near")),
    Kind("novel", "author", "was written by the novelist", ("", ""), ("is set in", "takes place in")),
    Kind("symphony", "composer", "was composed by", ("Symphony", "Suite"), ("was first performed in", "premiered in")),
    Kind("ship", "captain", "was commanded on its maiden voyage by Captain", ("",), ("sailed from", "was built at the yard in")),
    Kind("company", "founder", "was founded by the entrepreneur", ("Holdings", "Works", "Trading Company"), ("has its head office in", "started in a workshop in")),
    Kind("expedition", "leader", "was led by the explorer", ("Expedition",), ("set out from", "assembled its crew in")),
)
WORK_WORDS = ("Quellmoor Ashen Brightfell Corrin Dawnmere Everlake Frostholm Gildenrow Harrowmere Ironvale Juniper "
              "Kingsfold Lowmarsh Moorcroft Nightingale Oriel Pinecrest Quarry Redfern Silverbirch Tidewater Umber "
              "Vesper Willowmere Yewdale Zephyr Amberly Blackthorn Copperbeech Driftwood Elderglen Foxglove "
              "Greywater Hawthorn Ivory Jadeite Kestrelwood Lanternfield Meadowsweet Northwind").split()
NOVEL_TITLES = ("The Salt Orchard", "A House of Quiet Bells", "The Cartographer's Daughter", "Winter at Ravenhold",
                "The Glass Meridian", "Letters from the Lowlands", "The Last Lamplighter", "Beneath the Copper Sky",
                "The Weaver of Tides", "An Atlas of Small Hours", "The Orchard Keeper's Son", "Paper Lanterns",
                "The Drowned Library", "Harvest of Ash", "The Silent Foundry", "A Map of Borrowed Stars",
                "The Clockmaker's Winter", "Tides of Amberly", "The Hollow Crown of Esk", "Songs for a Grey Harbour",
                "The Ferryman's Ledger", "Under the Linden Arches", "The Quiet Engineers", "The Iron Nightingale",
                "Lanterns over Marrowby")
FACTS = {  # question about the person -> how the person's entry states the fact
    "town": "In which town was the {role} of {work} born?",
    "school": "Where did the {role} of {work} study?",
    "prize": "Which award did the {role} of {work} receive?",
    "year": "In what year was the {role} of {work} born?",
}


@dataclass
class Person:
    name: str
    profession: str
    town: str
    school: str
    prize: str
    year: int
    subject: str
    she: bool


def _people(rng: random.Random, count: int) -> list[Person]:
    names = [f"{f} {l}" for f in FIRST for l in LAST]
    rng.shuffle(names)
    professions = [k.role for k in KINDS]
    out = []
    for i, name in enumerate(names[:count]):
        out.append(Person(name, professions[(i // 2) % len(professions)], rng.choice(TOWNS), rng.choice(SCHOOLS),
                          rng.choice(PRIZES), rng.randint(1880, 1975), rng.choice(SUBJECTS), rng.random() < 0.5))
    return out


_PROFESSION_TEXT = {"architect": "architect", "author": "novelist", "composer": "composer", "captain": "sea captain",
                    "founder": "entrepreneur", "leader": "explorer"}


def person_entry(p: Person, rng: random.Random) -> str:
    he, his = ("She", "Her") if p.she else ("He", "His")
    job = _PROFESSION_TEXT[p.profession]
    other = rng.choice([t for t in TOWNS if t != p.town])
    opening = rng.choice([
        f"{p.name} (born {p.year} in {p.town}) is remembered as a {job} of unusual patience.",
        f"{p.name} was a {job}, born in {p.town} in {p.year}.",
        f"Born in {p.year} in the town of {p.town}, {p.name} became one of the better-known {job}s of {his.lower()} generation.",
    ])
    sentences = [
        opening,
        rng.choice([f"{he} studied {p.subject} at {p.school}.", f"{he} was educated at {p.school}, where {he.lower()} read {p.subject}."]),
        rng.choice([f"After some years in {other}, {he.lower()} settled near the coast.",
                    f"{he} spent most of {his.lower()} working life in {other}.",
                    f"Colleagues in {other} described {he.lower() if p.she else 'him'} as exacting but generous."]),
        rng.choice([f"In {p.year + rng.randint(30, 50)} {he.lower()} received {p.prize}.",
                    f"{his} honours include {p.prize}, awarded late in {his.lower()} career."]),
        rng.choice([f"{his} letters are kept in the municipal archive of {other}.",
                    f"{he} kept detailed notebooks, several of which survive.",
                    "A biography appeared some twenty years after the death of its subject."]),
    ]
    return f"{p.name}\n\n" + " ".join(sentences) + "\n"


def _work_name(kind: Kind, rng: random.Random, used: set[str]) -> str:
    while True:
        if kind.noun == "novel":
            name = rng.choice(NOVEL_TITLES) if rng.random() < 0.5 else f"The {rng.choice(WORK_WORDS)} {rng.choice(['Papers', 'Inheritance', 'Season', 'Crossing'])}"
        elif kind.noun == "ship":
            name = f"the {rng.choice(WORK_WORDS)} {rng.choice(['Star', 'Queen', 'Spirit', 'Venture'])}"
        else:
            name = f"the {rng.choice(WORK_WORDS)} {rng.choice(kind.names)}"
        if name.lower() not in used:
            used.add(name.lower())
            return name


def work_entry(name: str, kind: Kind, p: Person, rng: random.Random) -> str:
    place = rng.choice(TOWNS)
    year = p.year + rng.randint(25, 45)
    title = name[4:] if name.startswith("the ") else name
    display = name[0].upper() + name[1:]
    sentences = [
        f"{display} is a {kind.noun} that {rng.choice(kind.place_words)} {place}.",
        f"It {kind.verb} {p.name} and was completed in {year}.",
        rng.choice([f"Contemporary reviewers in {rng.choice(TOWNS)} were divided about it.",
                    "It was restored after a fire in the 1990s.",
                    f"A plaque unveiled in {year + rng.randint(10, 40)} marks its importance to the region.",
                    "Its original plans were rediscovered in a private collection."]),
        rng.choice(["Several later works copied its proportions.", "It remains a popular subject for postcards.",
                    "Local schools still teach its history.", "Its cost was disputed for years."]),
    ]
    return f"{title}\n\n" + " ".join(sentences) + "\n"


def answer_of(fact: str, p: Person) -> str:
    return {"town": p.town, "school": p.school.removeprefix("the "), "prize": p.prize.removeprefix("the "),
            "year": str(p.year)}[fact]


def _file(name: str) -> str:
    stem = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
    return f"{stem}.txt"


def build(out: Path, questions: int = 150) -> dict[str, int]:
    rng = random.Random(SEED)
    people = _people(rng, questions * 2)
    corpus = out / "multihop_corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    used: set[str] = set()
    cases = []
    for i, p in enumerate(people):
        (corpus / _file(p.name)).write_text(person_entry(p, rng), "utf-8")
        kind = next(k for k in KINDS if k.role == p.profession)
        # Every person behind an asked-about work has a twin of the same profession with no work:
        # the second hop has to pick the right one of several similar entries.
        if i % 2 == 1 and rng.random() < 0.5:
            continue
        name = _work_name(kind, rng, used)
        work_file = _file(name.removeprefix("the "))
        (corpus / work_file).write_text(work_entry(name, kind, p, rng), "utf-8")
        if i % 2 == 0:
            fact = rng.choice(list(FACTS))
            cases.append({"id": f"mh-{len(cases):03d}", "question": FACTS[fact].format(role=kind.role, work=name),
                          "answers": [answer_of(fact, p)], "sources": [work_file, _file(p.name)], "history": [],
                          "category": "date" if fact == "year" else "name"})
    dev, test = [], []
    for case in cases:
        (dev if int(hashlib.sha1(case["id"].encode()).hexdigest(), 16) % 3 == 0 else test).append(case)
    for name, rows in (("multihop_dev.jsonl", dev), ("multihop_test.jsonl", test)):
        (out / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return {"documents": len(list(corpus.iterdir())), "dev": len(dev), "test": len(test)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "sets")
    args = parser.parse_args(argv)
    print(build(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
