"""The web chat without a browser: handlers over a real index, the named API through gradio_client, `docqa serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser_server import free_port, running_app, wait_until_up
from conftest import ROOT, SEED_FILE, seed_text

pytestmark = pytest.mark.slow

SEED_QUESTION = "Who criticised the decision as anti-democratic?"
FACT = "The lighthouse of Port Veyra is kept by Odalys Brennan, who climbs its 212 steps every evening.\n"
FACT_QUESTION = "Who keeps the lighthouse of Port Veyra?"


@pytest.fixture(scope="module")
def seed_docqa(tmp_path_factory, embedder):
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("ui-app")
    shutil.copy(SEED_FILE, base / SEED_FILE.name)
    docqa = DocQA.open(index=base / "index")
    docqa._embedder = embedder
    docqa.ingest([base / SEED_FILE.name])
    yield docqa
    docqa.close()


@pytest.fixture(scope="module")
def served(seed_docqa):
    with running_app(seed_docqa) as (_, url):
        yield url


def client(url: str, **kwargs):
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, **kwargs)


@pytest.fixture
def chat(fresh_docqa):
    from ui.webchat import WebChat

    return WebChat(fresh_docqa, max_upload_mb=1)


def upload_file(tmp_path: Path, name: str, text: str) -> tuple[str, str]:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # like Gradio's upload cache: one folder per file
    path = folder / Path(name).name
    path.write_text(text, "utf-8")
    return str(path), name


# Named API endpoints through gradio_client -----------------------------------------------------
def test_api_lists_exactly_the_named_endpoints(served):
    endpoints = client(served).view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/ingest", "/sources", "/remove"}


def test_api_ask_returns_the_cli_json_contract(served, seed_docqa):
    result = client(served).predict(SEED_QUESTION, api_name="/ask")
    expected = seed_docqa.ask(SEED_QUESTION).to_dict()
    assert result["answer"] == expected["answer"] and "David Sacks" in result["answer"]
    assert set(result) == set(expected)
    citation = result["citations"][0]
    assert seed_text()[citation["start"]:citation["end"]] == citation["text"]


def test_api_ask_uses_history_and_options(served):
    api = client(served)
    history = [{"role": "user", "content": SEED_QUESTION}, {"role": "assistant", "content": "David Sacks did."}]
    follow_up = api.predict("Whose ally is he?", history, api_name="/ask")
    assert "Sacks" in follow_up["query"]  # the follow-up was rewritten with the conversation's terms
    nothing = api.predict(SEED_QUESTION, None, 3, None, ["pdf"], api_name="/ask")
    assert nothing["abstained"] and nothing["passages"] == []


def test_api_errors_are_one_readable_line(served):
    from gradio_client.exceptions import AppError

    api = client(served)
    for args, reason in [(("",), "Type a question first."),
                         ((SEED_QUESTION, None, None, None, None, ["nonsense"]), "KEY=VALUE"),
                         ((SEED_QUESTION, None, None, None, None, None, None, "../../etc"), "invalid collection name"),
                         ((SEED_QUESTION, [{"role": "robot"}]), "history[0]")]:
        with pytest.raises(AppError) as raised:
            api.predict(*args, api_name="/ask")
        message = str(raised.value)
        assert reason in message and "Traceback" not in message and "\n" not in message.strip()


def test_api_ingest_sources_remove_round_trip(served, tmp_path):
    from gradio_client import handle_file

    api = client(served)
    (tmp_path / "port veyra.txt").write_text(FACT, "utf-8")
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    report = api.predict([handle_file(str(tmp_path / "port veyra.txt")), handle_file(str(tmp_path / "tool.exe"))], "",
                         api_name="/ingest")
    statuses = {Path(f["source"]).name: f["status"] for f in report["files"]}
    assert statuses == {"port veyra.txt": "added", "tool.exe": "skipped"}
    uploaded = next(f["source"] for f in report["files"] if f["status"] == "added")
    assert Path(uploaded).parent.name == "uploads" and Path(uploaded).is_file()
    assert uploaded in [s["source"] for s in api.predict(api_name="/sources")]
    assert "Odalys Brennan" in api.predict(FACT_QUESTION, api_name="/ask")["answer"]

    removed = api.predict(["port veyra.txt"], api_name="/remove")
    assert [(f["source"], f["status"]) for f in removed["files"]] == [(uploaded, "removed")]
    assert not Path(uploaded).exists()
    assert uploaded not in [s["source"] for s in api.predict(api_name="/sources")]
    assert "Odalys Brennan" not in api.predict(FACT_QUESTION, api_name="/ask")["answer"]


def test_login_is_required_when_auth_is_set(seed_docqa):
    with running_app(seed_docqa, auth=("ann", "s3cret")) as (_, url):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "config", timeout=10)
        assert refused.value.code == 401
        with pytest.raises(Exception):
            client(url, auth=("ann", "wrong"))
        assert client(url, auth=("ann", "s3cret")).predict(SEED_QUESTION, api_name="/ask")["citations"]


def test_signed_in_users_reach_only_their_collections(seed_docqa, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    (tmp_path / "veyra.txt").write_text(FACT, "utf-8")
    logins = [("ann", "pw-ann"), ("bob", "pw-bob"), ("root", "pw-root")]
    access = {"ann": frozenset({"docqa"}), "bob": frozenset({"lighthouse"}), "root": frozenset({"*"})}
    with running_app(seed_docqa, auth=logins, access=access) as (_, url):
        ann, bob, root = (client(url, auth=login) for login in logins)
        assert "David Sacks" in ann.predict(SEED_QUESTION, api_name="/ask")["answer"]
        with pytest.raises(AppError, match="only an admin may create collections"):
            bob.predict([handle_file(str(tmp_path / "veyra.txt"))], "lighthouse", api_name="/ingest")
        report = root.predict([handle_file(str(tmp_path / "veyra.txt"))], "lighthouse", api_name="/ingest")
        assert [f["status"] for f in report["files"]] == ["added"]
        assert "Odalys Brennan" in bob.predict(FACT_QUESTION, api_name="/ask")["answer"]  # bob's only collection
        with pytest.raises(AppError, match="'docqa'"):
            bob.predict(SEED_QUESTION, None, None, None, None, None, None, "docqa", api_name="/ask")
        with pytest.raises(AppError, match="'lighthouse'"):
            ann.predict("lighthouse", api_name="/sources")
        with pytest.raises(AppError, match="'lighthouse'"):
            ann.predict(["veyra.txt"], "lighthouse", api_name="/remove")
        assert [Path(s["source"]).name for s in root.predict("lighthouse", api_name="/sources")] == ["veyra.txt"]


# Handlers over a real, fresh index --------------------------------------------------------------
def test_uploads_get_safe_names_and_never_replace_another_upload(chat, tmp_path):
    first = chat.ingest_uploads([upload_file(tmp_path, "../notes.txt", FACT)])
    again = chat.ingest_uploads([upload_file(tmp_path, "notes.txt", FACT)])
    other = chat.ingest_uploads([upload_file(tmp_path, "notes.txt", "Port Veyra exports salted cod and wool.\n")])
    uploads = Path(chat.settings.index) / "uploads"
    assert [(Path(f.source), f.status) for f in first.files] == [(uploads / "notes.txt", "added")]
    assert [f.status for f in again.files] == ["unchanged"]
    assert [(Path(f.source), f.status) for f in other.files] == [(uploads / "notes-2.txt", "added")]
    assert (uploads / "notes.txt").read_text("utf-8") == FACT
    assert sorted(s.source for s in chat.sources()) == sorted(str(uploads / n) for n in ("notes.txt", "notes-2.txt"))


def test_upload_summary_lists_failures_with_reasons(chat, tmp_path):
    progress = []
    report = chat.ingest_uploads(
        [upload_file(tmp_path, "good.md", "# Port Veyra\n\n" + FACT), upload_file(tmp_path, "broken.pdf", "not a pdf"),
         upload_file(tmp_path, "big.txt", "x" * (2 * 2**20)), upload_file(tmp_path, "run.sh", "echo hi")],
        on_file=lambda done, total, outcome: progress.append((done, total, outcome.status)),
    )
    by_name = {Path(f.source).name: f for f in report.files}
    assert by_name["good.md"].status == "added" and by_name["good.md"].chunks >= 1
    assert by_name["broken.pdf"].status == "failed" and by_name["broken.pdf"].reason
    assert not Path(by_name["broken.pdf"].source).exists()  # the useless copy is gone
    assert Path(by_name["good.md"].source).is_file()
    assert by_name["big.txt"].status == "failed" and "too large" in by_name["big.txt"].reason
    assert by_name["run.sh"].status == "skipped" and "unsupported file type .sh" in by_name["run.sh"].reason
    assert progress[-1][:2] == (4, 4) and [p[0] for p in progress] == sorted(p[0] for p in progress)


def test_changes_are_visible_to_the_next_question_and_removal_deletes_the_copy(chat, tmp_path):
    from ui.webchat import AskOptions

    report = chat.ingest_uploads([upload_file(tmp_path, "veyra.txt", FACT)])
    copy = Path(report.files[0].source)
    assert "Odalys Brennan" in chat.ask(FACT_QUESTION, None, AskOptions()).answer
    removed = chat.remove(["veyra.txt"])
    assert [f.status for f in removed.files] == ["removed"] and not copy.exists()
    assert chat.sources() == []
    assert chat.ask(FACT_QUESTION, None, AskOptions()).abstained


def test_the_documents_view_updates_both_source_pickers_without_a_warning(chat, tmp_path, recwarn):
    from ui.handlers import Handlers

    handlers = Handlers(chat)
    chat.ingest_uploads([upload_file(tmp_path, "veyra.txt", FACT)])
    views = [handlers.documents_view(None)]
    chat.remove(["veyra.txt"])
    views.append(handlers.documents_view(None))
    for rows, to_remove, source_filter, _, _ in views:
        assert to_remove.multiselect and source_filter.multiselect and to_remove.value == []
        assert [row[0] for row in rows] == [value for _, value in to_remove.choices]
    assert len(views[0][0]) == 1 and views[1][0] == []
    # Before, each call warned: a value of [] for a single-choice dropdown is read as one choice missing from the list.
    assert not [w for w in recwarn if "gr.Dropdown" in str(w.message)], [str(w.message) for w in recwarn]


def test_collections_are_separate_and_names_are_checked(chat, tmp_path):
    from ui.webchat import AskOptions, UserError

    chat.ingest_uploads([upload_file(tmp_path, "veyra.txt", FACT)], collection="harbour")
    assert [Path(s.source).name for s in chat.sources("harbour")] == ["veyra.txt"]
    assert chat.sources() == []
    assert Path(chat.sources("harbour")[0].source).parent == Path(chat.settings.index) / "uploads" / "harbour"
    assert "Odalys" in chat.ask(FACT_QUESTION, None, AskOptions(collection="harbour")).answer
    assert chat.collections.get("harbour").embedder is chat.collections.default.embedder
    for bad in ("../x", "a", "has space", "x" * 64):
        with pytest.raises(UserError, match="invalid collection name"):
            chat.sources(bad)


def test_failures_become_one_line_reasons(chat, monkeypatch):
    from ui.webchat import AskOptions, UserError

    with pytest.raises(UserError, match="unknown generator 'gpt9'"):
        list(chat.stream("Who?", None, AskOptions(generator="gpt9")))
    with pytest.raises(UserError, match="Choose one or more files"):
        chat.ingest_uploads([])
    with pytest.raises(UserError, match="no ingested source matches"):
        chat.remove(["missing.txt"])

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire\n  at line 3")

    monkeypatch.setattr(chat.collections.default, "stream", broken)
    with pytest.raises(UserError) as raised:
        list(chat.stream("Who?", None, AskOptions()))
    assert str(raised.value) == "RuntimeError: disk on fire at line 3"


# Safe defaults and the `docqa serve` command ----------------------------------------------------
def test_launch_defaults_are_local_and_private():
    from ui.app import launch_options

    options = launch_options()
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["share"] is False and options["auth"] is None and options["max_file_size"] == "50mb"
    assert "fonts.googleapis" not in str(options["theme"].to_dict())


def test_importing_the_app_disables_gradio_analytics():
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_ANALYTICS_ENABLED"}
    out = subprocess.run([sys.executable, "-c", "import os, ui.app, gradio; print(os.environ['GRADIO_ANALYTICS_ENABLED'])"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_serve_rejects_malformed_auth_before_loading_anything(tmp_path):
    from ui.cli import cli

    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "index"), "serve", "--auth", "no-colon"])
    assert result.exit_code != 0 and "--auth expects USER:PASSWORD" in result.output
    assert not (tmp_path / "index").exists()


def _lan_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_docqa_serve_binds_localhost_with_login_from_env(tmp_path):
    docqa_bin = Path(sys.executable).with_name("docqa")
    port = free_port()
    env = {**os.environ, "DOCQA_AUTH": "ann:s3cret", "DOCQA_INDEX": str(tmp_path / "index")}
    process = subprocess.Popen([str(docqa_bin), "serve", "--port", str(port), "--ingest", str(SEED_FILE)], env=env,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/config", timeout=120, process=process)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10)
        assert refused.value.code == 401
        answer = client(f"http://127.0.0.1:{port}/", auth=("ann", "s3cret")).predict(SEED_QUESTION, api_name="/ask")
        assert "David Sacks" in answer["answer"]
        lan = _lan_address()
        if lan is not None:
            with pytest.raises(OSError):
                socket.create_connection((lan, port), timeout=3).close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
