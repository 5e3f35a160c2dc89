"""The web chat's saved conversations over a real index: save, list, resume, rename, export, delete, owners."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

FACT = "The lighthouse of Port Veyra is kept by Odalys Brennan, who climbs its 212 steps every evening.\n"
QUESTION = "Who keeps the lighthouse of Port Veyra?"


@pytest.fixture
def chat_and_history(fresh_docqa, tmp_path):
    from ui.conversations import ConversationStore
    from ui.history import History
    from ui.webchat import WebChat

    chat = WebChat(fresh_docqa, max_upload_mb=1)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "veyra.txt").write_text(FACT, "utf-8")
    chat.ingest_uploads([(str(folder / "veyra.txt"), "veyra.txt")])
    store = ConversationStore.in_index(tmp_path / "index")
    yield chat, History(store), store
    store.close()


def test_answers_are_saved_and_resume_with_their_citations(chat_and_history, tmp_path):
    from ui.conversations import ConversationStore
    from ui.history import History, owner_of
    from ui.webchat import AskOptions, Session, UserError

    chat, history, store = chat_and_history
    answer = chat.ask(QUESTION, None, AskOptions())
    session = history.saved(owner_of("ann"), Session().with_turn(QUESTION, answer), QUESTION, answer, "docqa")
    follow = chat.ask("How many steps does it have?", session.history(), AskOptions())
    session = history.saved(owner_of("ann"), session.with_turn("How many steps does it have?", follow),
                            "How many steps does it have?", follow, "docqa")
    assert session.conversation_id and history.choices(owner_of("ann")) == [(QUESTION, session.conversation_id)]
    assert history.choices(owner_of("bob")) == [] and history.choices(owner_of(None)) == []

    reopened = History(ConversationStore.in_index(tmp_path / "index")).resume(owner_of("ann"), session.conversation_id)
    assert reopened.conversation_id == session.conversation_id
    assert [(q, a.answer) for q, a in reopened.turns] == [(QUESTION, answer.answer),
                                                          ("How many steps does it have?", follow.answer)]
    assert reopened.turns[0][1].citations == answer.citations and "Odalys Brennan" in answer.answer
    assert [p.text for p in reopened.turns[0][1].passages] == [p.text for p in answer.passages]
    assert reopened.history() == session.history()

    markdown = Path(history.export(owner_of("ann"), session.conversation_id, "markdown")).read_text("utf-8")
    citation = answer.citations[0]
    assert f"`{citation.source}` characters {citation.start}–{citation.end}: \"{citation.text.strip()}\"" in markdown
    exported = json.loads(Path(history.export(owner_of("ann"), session.conversation_id, "json")).read_text("utf-8"))
    assert exported["turns"][0]["answer"]["citations"] == [c.to_dict() for c in answer.citations]

    history.rename(owner_of("ann"), session.conversation_id, "  Port   Veyra ")
    assert history.choices(owner_of("ann")) == [("Port Veyra", session.conversation_id)]
    with pytest.raises(UserError, match="no longer exists"):
        history.delete(owner_of("bob"), session.conversation_id)  # bob cannot touch ann's conversation
    history.delete(owner_of("ann"), session.conversation_id)
    assert history.choices(owner_of("ann")) == []
    with pytest.raises(UserError, match="no longer exists"):
        history.resume(owner_of("ann"), session.conversation_id)
    with pytest.raises(UserError, match="Choose a saved conversation"):
        history.export(owner_of("ann"), None, "markdown")
