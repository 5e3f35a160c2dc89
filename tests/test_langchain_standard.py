"""LangChain's own standard suites (langchain-tests) on docqa's retriever, embeddings and llama.cpp chat model."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import (ChatModelIntegrationTests, EmbeddingsIntegrationTests,
                                               RetrieversIntegrationTests)
from langchain_tests.unit_tests import ChatModelUnitTests, EmbeddingsUnitTests

from qa.generators.llamacpp import LlamaCppChatModel
from qa.langchain import DocQAEmbeddings, DocQARetriever


@pytest.mark.slow
class TestDocQARetrieverStandard(RetrieversIntegrationTests):
    """`DocQA.as_retriever()` over the seeded index; `k` works in the constructor and as an invoke keyword."""

    @pytest.fixture(autouse=True)
    def _index(self, seeded):
        self.docqa = seeded

    @property
    def retriever_constructor(self) -> type[DocQARetriever]:
        return DocQARetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"docqa": self.docqa}

    @property
    def retriever_query_example(self) -> str:
        return "What range do ATACMS missiles have?"


class TestDocQAEmbeddingsUnit(EmbeddingsUnitTests):
    """Construction only: the model loads on first use, so this needs no weights."""

    @property
    def embeddings_class(self) -> type[DocQAEmbeddings]:
        return DocQAEmbeddings


@pytest.mark.slow
class TestDocQAEmbeddingsStandard(EmbeddingsIntegrationTests):
    """The real MiniLM model (the session's, shared: `DocQA.embeddings` passes its embedder the same way)."""

    @pytest.fixture(autouse=True)
    def _model(self, embedder):
        self.embedder = embedder

    @property
    def embeddings_class(self) -> type[DocQAEmbeddings]:
        return DocQAEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"embedder": self.embedder}


class TestLlamaCppChatModelUnit(ChatModelUnitTests):
    """Construction, standard params and declared capabilities; the GGUF is not loaded."""

    @property
    def chat_model_class(self) -> type[LlamaCppChatModel]:
        return LlamaCppChatModel

    @property
    def supports_model_override(self) -> bool:
        return False  # one loaded GGUF per instance


@pytest.mark.slow
@pytest.mark.llm
class TestLlamaCppChatModelStandard(ChatModelIntegrationTests):
    """The packaged Qwen2.5-Coder-0.5B in process. Declared honestly: text only, no tools, structured
    output, JSON mode or images, one model per instance; usage metadata from llama.cpp's token counts."""

    @pytest.fixture(autouse=True)
    def _gguf(self, local_gguf):
        self.gguf = str(local_gguf)

    @property
    def chat_model_class(self) -> type[LlamaCppChatModel]:
        return LlamaCppChatModel

    @property
    def chat_model_params(self) -> dict:
        # Same (path, n_ctx, threads) as the other local-LLM tests, so the process loads the model once.
        return {"model_path": self.gguf, "n_ctx": 2048, "n_threads": 2, "max_tokens": 24}

    @property
    def supports_model_override(self) -> bool:
        return False

    @property
    def returns_usage_metadata(self) -> bool:
        return True


@pytest.mark.slow
@pytest.mark.llm
def test_usage_metadata_is_llama_cpps_own_token_count(local_gguf):
    """Streamed usage equals what llama.cpp reports for the same request without streaming."""
    from langchain_core.messages import HumanMessage, SystemMessage

    model = LlamaCppChatModel(model_path=str(local_gguf), n_ctx=2048, n_threads=2, max_tokens=16)
    messages = [SystemMessage("Answer in one short sentence."), HumanMessage("What is the capital of France?")]
    for _ in range(2):  # the second call reuses the cached prompt prefix: counts must not change
        reply = model.invoke(messages)
        direct = model.loaded().create_chat_completion(
            messages=[{"role": "system", "content": "Answer in one short sentence."},
                      {"role": "user", "content": "What is the capital of France?"}],
            max_tokens=16, temperature=0.0)
        assert reply.content == direct["choices"][0]["message"]["content"]
        usage = direct["usage"]
        assert reply.usage_metadata == {"input_tokens": usage["prompt_tokens"],
                                        "output_tokens": usage["completion_tokens"],
                                        "total_tokens": usage["total_tokens"]}
    assert reply.response_metadata["model_name"] == local_gguf.name
