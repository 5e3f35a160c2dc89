"""Prints the import graph between docqa's parts (`python -m eval.imports`), highest layer first, as the closing
evidence that dependencies run one way; pyproject.toml's import-linter contracts enforce it."""

from __future__ import annotations

import argparse
from collections import Counter

PACKAGES = ("qa", "ingest", "ui", "eval")
# Parts from the top layer down; a module belongs to the first part whose prefix it has.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ui", ("ui",)),
    ("eval", ("eval",)),
    ("facade", ("qa.api", "qa.chain", "qa")),  # qa/__init__ only re-exports the facade and the data model
    ("ingest", ("ingest",)),
    ("retrieval", ("qa.retrieval", "qa.multihop", "qa.langchain")),
    ("answering", ("qa.generate", "qa.generators", "qa.entities", "qa.verify", "qa.prompts", "qa.abstain", "qa.selection",
                   "qa.answer_types", "qa.rewrite", "qa.anaphora", "qa.relation", "qa.statements", "qa.conversation", "qa.asked_topics", "qa.noun_phrases", "qa.name_runs", "qa.mention", "qa.name_kinds", "qa.antecedents", "qa.genders", "qa.ellipsis", "qa.parallel", "qa.short_answer", "qa.clauses", "qa.comparison", "qa.follow_on", "qa.compose", "qa.bylines", "qa.speakers", "qa.changes", "qa.ordinals",
                   "qa.llm_model", "qa.llm_probe")),
    ("store", ("qa.store", "qa.lexical", "qa.chroma_local")),
    ("embedding", ("qa.embedding", "qa.onnx_models", "qa.quantize")),
    ("core", ("qa.models", "qa.errors", "qa.settings", "qa.text", "qa.blocks", "qa.where", "qa.lexicon", "qa.aliases", "qa.versions", "qa.ages", "qa.frequency", "qa.measures", "qa.mail", "qa.filters", "qa.tables", "qa.roles",
              "qa.registry")),
)
ORDER = [name for name, _ in PARTS]


def part_of(module: str) -> str:
    best, length = "other", -1
    for name, prefixes in PARTS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = name, len(prefix)
    return best


def part_edges() -> Counter[tuple[str, str]]:
    """(importer part, imported part) -> number of module-level import statements, lazy ones included."""
    import grimp

    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    edges: Counter[tuple[str, str]] = Counter()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = part_of(importer), part_of(imported)
            if a != b:
                edges[(a, b)] += len(graph.get_import_details(importer=importer, imported=imported)) or 1
    return edges


def upward(edges: Counter[tuple[str, str]]) -> list[tuple[str, str]]:
    """Edges from a lower part to a higher one (there should be none)."""
    return [(a, b) for a, b in edges if a in ORDER and b in ORDER and ORDER.index(b) < ORDER.index(a)]


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m eval.imports", description=__doc__.split("\n")[0]).parse_args(argv)
    edges = part_edges()
    for a, b in sorted(edges, key=lambda e: (ORDER.index(e[0]) if e[0] in ORDER else 99, ORDER.index(e[1])
                                                if e[1] in ORDER else 99)):
        print(f"{a:>10} -> {b:<10} {edges[(a, b)]:3d} imports")
    wrong = upward(edges)
    for a, b in wrong:
        print(f"UPWARD: {a} -> {b}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
