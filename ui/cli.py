"""The `docqa` command line: parse, call the Python API, print; errors become one clear line."""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from qa.errors import DocQAError, InvalidInputError, SettingsError
from qa.filters import Filters
from qa.models import Answer, FileOutcome
from qa.registry import EMBEDDER_ALIASES, EMBEDDERS, GENERATORS
from qa.settings import MAX_UPLOAD_MB, Settings, load_settings
from ui.format import answer_text, ingest_summary, sources_table


def quiet_libraries() -> None:
    """Silence other libraries' progress bars, advisory warnings and log chatter: noise in pipes and JSON output.

    docqa's own messages (failed files, errors) are printed by this CLI and stay.
    """
    for name, value in (("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1"), ("TQDM_DISABLE", "1"),
                        ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)
    warnings.filterwarnings("ignore")
    warnings.filterwarnings("default", module=r"(qa|ingest|ui|eval)(\.|$)")
    for name in ("transformers", "sentence_transformers", "huggingface_hub", "chromadb", "httpx", "urllib3"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    base: Settings = ctx.obj["settings"]
    return base.with_overrides(**overrides)


def _open(ctx: click.Context, **overrides: Any):
    from qa.api import DocQA

    return DocQA(_settings(ctx, **overrides))


def _dump(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=None))


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocQAError as exc:  # anything else is a bug: its traceback is kept
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default ./.docqa, env DOCQA_INDEX).")
@click.option("--collection", help="Chroma collection (default docqa, env DOCQA_COLLECTION).")
@click.option("--chroma-url", help="http://HOST:PORT of a Chroma server (env DOCQA_CHROMA_URL).")
@click.option("--embedder", type=click.Choice([*EMBEDDERS.names(), *EMBEDDER_ALIASES]),
              help="Embedding model (env DOCQA_EMBEDDER); changing it needs `ingest --rebuild`.")
@click.version_option(package_name="docqa")
@click.pass_context
def cli(ctx: click.Context, index: Path | None, collection: str | None, chroma_url: str | None,
        embedder: str | None) -> None:
    """docqa: ask questions about your own documents and get cited answers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not sys.stderr.isatty() or "--json" in sys.argv[1:]:
        quiet_libraries()
    try:
        settings = load_settings(index=index, collection=collection, chroma_url=chroma_url, embedder=embedder)
    except SettingsError as exc:
        raise click.ClickException(f"invalid setting: {exc}") from exc
    ctx.obj = {"settings": settings}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--sync", is_flag=True, help="Also remove documents whose files are gone from PATHS.")
@click.option("--rebuild", is_flag=True, help="Drop the collection first and re-embed everything "
              "(needed after changing the embedding model).")
@click.option("--chunk-tokens", type=int, help="Chunk size in the embedding model's tokens (env DOCQA_CHUNK_TOKENS).")
@click.option("--chunk-overlap", type=int, help="Overlap between chunks in tokens (env DOCQA_CHUNK_OVERLAP_TOKENS).")
@click.option("--follow-links", is_flag=True, default=None,
              help="Follow symbolic links out of the folders given (env DOCQA_FOLLOW_LINKS); devices stay refused.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--progress", "force_progress", is_flag=True, help="Show the progress bar even when stderr is not a terminal.")
@click.option("--crawl", type=click.IntRange(min=0), default=0, metavar="DEPTH",
              help="For URLs: also follow same-site links up to DEPTH hops.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Most pages one crawl fetches (env DOCQA_WEB_MAX_PAGES).")
@click.option("--allow-private", is_flag=True, default=None,
              help="Allow URLs on loopback/private addresses (env DOCQA_ALLOW_PRIVATE).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], sync: bool, rebuild: bool, chunk_tokens: int | None,
           chunk_overlap: int | None, follow_links: bool | None, as_json: bool, quiet: bool, force_progress: bool,
           crawl: int, max_pages: int | None, allow_private: bool | None) -> None:
    """Ingest files, folders and http(s) URLs (txt, md, html, pdf, docx, pptx, xlsx, csv/tsv, epub, eml, odt;
    png/jpg/tiff and scans by OCR).

    Only regular files inside the paths given are read: FIFOs, sockets and devices are skipped, and so are
    symbolic links leading out of a folder unless --follow-links. Files that cannot be read get one line each
    on stderr; the exit code is 1 when any file failed. A new file whose exact content is stored under a path
    that no longer exists (a moved file or renamed folder) replaces the old entry instead of doubling it.
    """
    docqa = _open(ctx, chunk_tokens=chunk_tokens, chunk_overlap_tokens=chunk_overlap, follow_links=follow_links)
    if rebuild:
        docqa.reset()

    def tell(outcome: FileOutcome) -> None:
        if outcome.status in ("failed", "skipped"):
            click.echo(f"{outcome.status}: {outcome.source}: {outcome.reason}", err=True)

    progress = not (as_json or quiet) and (force_progress or sys.stderr.isatty())
    report = docqa.ingest(list(paths), sync=sync, progress=progress, on_file=None if as_json else tell,
                          crawl=crawl, max_pages=max_pages, allow_private=allow_private)
    if as_json:
        _dump(report.to_dict())
    else:  # each problem was told as it happened; end with the totals line only
        click.echo(ingest_summary(report).splitlines()[-1])
    if not report.ok:
        ctx.exit(1)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--k", "-k", type=int, help="Passages to retrieve.")
@click.option("--source", "sources", multiple=True, help="Only these sources (path, file name or glob).")
@click.option("--type", "kinds", multiple=True, help="Only these file types (pdf, html, ...).")
@click.option("--where", multiple=True, help="Metadata filter KEY=VALUE (repeatable).")
@click.option("--generator", type=click.Choice(GENERATORS.names()))
@click.option("--history", "history_file", type=click.Path(exists=True, dir_okay=False),
              help="JSON file with earlier turns [{role, content}, ...].")
@click.option("--passages", is_flag=True, help="Also print the retrieved passages.")
@click.option("--rerank/--no-rerank", default=None, help="Cross-encoder reranking of the top candidates (env DOCQA_RERANK).")
@click.option("--multihop/--no-multihop", default=None, help="Second retrieval round seeded by the first (env DOCQA_MULTIHOP).")
@click.pass_context
def ask(ctx: click.Context, question: str, as_json: bool, k: int | None, sources: tuple[str, ...],
        kinds: tuple[str, ...], where: tuple[str, ...], generator: str | None, history_file: str | None,
        passages: bool, rerank: bool | None, multihop: bool | None) -> None:
    """Answer QUESTION from the ingested documents, with citations."""
    filters = Filters.parse(sources, kinds, where)
    history = _read_history(history_file) if history_file else None
    docqa = _open(ctx, generator=generator, rerank=rerank, multihop=multihop)
    answer = docqa.ask(question, history, k=k, filters=None if filters.empty else filters)
    if as_json:
        _dump(answer.to_dict())
    else:
        click.echo(answer_text(answer, show_passages=passages))


def _read_history(path: str) -> list:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except ValueError as exc:  # not JSON, or not UTF-8
        raise InvalidInputError(f"--history {path}: not a JSON list of turns ({exc})") from exc


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List ingested documents."""
    found = _open(ctx).sources()
    if as_json:
        _dump([{"source": s.source, "chunks": s.chunks, "sha256": s.sha256, "kind": s.kind, "added": s.added,
                **({"fetched": s.fetched} if s.fetched else {})} for s in found])
    else:
        click.echo(sources_table(found))


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def remove(ctx: click.Context, sources: tuple[str, ...], as_json: bool) -> None:
    """Remove documents by source (as listed by `docqa sources`), file name or glob."""
    report = _open(ctx).remove(list(sources))
    _dump(report.to_dict()) if as_json else click.echo(ingest_summary(report))


def _print_outcomes(report) -> None:
    for outcome in report.files:
        if outcome.status in ("failed", "skipped"):
            click.echo(f"{outcome.status}: {outcome.source}: {outcome.reason}", err=True)
        elif outcome.status != "unchanged":
            click.echo(f"{outcome.status}: {outcome.source} ({outcome.chunks} chunks)")
    sys.stdout.flush()


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--debounce-ms", type=click.IntRange(min=10), default=400, show_default=True,
              help="Wait this long after the last change before applying a batch.")
@click.pass_context
def watch(ctx: click.Context, folders: tuple[str, ...], debounce_ms: int) -> None:
    """Keep the index in step with FOLDERS: new, changed, renamed and deleted files follow automatically.

    Prints one line per document added, updated or removed; Ctrl-C stops.
    """
    docqa = _open(ctx)

    def ready() -> None:
        click.echo(f"watching {', '.join(folders)} (Ctrl-C to stop)")
        sys.stdout.flush()

    try:
        docqa.watch(list(folders), debounce_ms=debounce_ms, on_report=_print_outcomes, on_ready=ready)
    except KeyboardInterrupt:
        pass


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; 0.0.0.0 exposes it.")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--auth", "auth", multiple=True, envvar="DOCQA_AUTH",
              help="user:password required to open the app (repeatable for several users; env DOCQA_AUTH).")
@click.option("--api-key", "api_keys", multiple=True,
              help="Require 'Authorization: Bearer KEY' on /v1/* (repeatable; env DOCQA_API_KEYS, comma-separated).")
@click.option("--access", envvar="DOCQA_ACCESS",
              help="Who may use which collections: 'name=coll1,coll2; admin=*' or a TOML file (env DOCQA_ACCESS).")
@click.option("--mcp", is_flag=True, help="Also serve the ask and sources tools over MCP (needs gradio[mcp]).")
@click.option("--ingest", "ingest_paths", multiple=True, help="Ingest these paths before serving.")
@click.option("--max-upload-mb", default=MAX_UPLOAD_MB, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Largest file accepted by the upload box and /v1/ingest.")
@click.option("--watch", "watch_folders", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Keep the index in step with this folder while serving (repeatable).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, auth: tuple[str, ...], api_keys: tuple[str, ...], access: str | None,
          mcp: bool, ingest_paths: tuple[str, ...], max_upload_mb: float, watch_folders: tuple[str, ...]) -> None:
    """Serve the web chat at http://HOST:PORT/, the OpenAI-compatible and REST API at /v1 and its docs at /docs."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logins = []
    for login in auth:
        user, sep, password = login.partition(":")
        if not sep or not user or not password:
            raise click.ClickException("--auth expects USER:PASSWORD")
        logins.append((user, password))
    credentials = logins[0] if len(logins) == 1 else logins or None
    from ui.access import parse_access

    try:
        access_list = parse_access(access)
    except ValueError as exc:
        raise click.ClickException(f"--access: {exc}") from exc
    docqa = _open(ctx)
    keys = api_keys or tuple(k.strip() for k in (docqa.settings.api_keys or "").split(",") if k.strip())
    if ingest_paths:
        click.echo(ingest_summary(docqa.ingest(list(ingest_paths), progress=True)))
    if watch_folders:
        import threading

        # A second DocQA (same settings and model): the watcher writes while the chat reads, as two processes would.
        watcher = _open(ctx)
        watcher._embedder = docqa.embedder
        threading.Thread(target=watcher.watch, args=(list(watch_folders),), kwargs={"on_report": _print_outcomes},
                         name="docqa-watch", daemon=True).start()
    from ui.server import ServeOptions, serve as run_server

    run_server(docqa, ServeOptions(host=host, port=port, auth=credentials, api_keys=keys, access=access_list,
                                   max_upload_mb=max_upload_mb, mcp=mcp))


@cli.command()
@click.option("--generator", type=click.Choice(GENERATORS.names()),
              help="Answerer (default extractive, env DOCQA_GENERATOR).")
@click.option("--k", "-k", type=int, help="Passages to retrieve.")
@click.option("--source", "sources", multiple=True, help="Only these sources (path, file name or glob).")
@click.pass_context
def chat(ctx: click.Context, generator: str | None, k: int | None, sources: tuple[str, ...]) -> None:
    """Chat in the terminal; answers stream in, follow-up questions keep the conversation's context."""
    docqa = _open(ctx, generator=generator)
    filters = Filters.parse(sources, (), ())
    history: list[dict[str, str]] = []
    click.echo("Ask a question (empty line or Ctrl-D to quit, /new to start over).")
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            break
        if not question:
            break
        if question == "/new":
            history.clear()
            click.echo("(new conversation)")
            continue
        try:
            final, streamed = _chat_turn(docqa, question, history, k, None if filters.empty else filters)
        except DocQAError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        except KeyboardInterrupt:
            click.echo("\n(interrupted)")
            continue
        if final is None:
            continue
        if " ".join(final.answer.split()) != " ".join(streamed.split()):
            # The verifier changed what streamed (unsupported text dropped, citations fixed, or an abstention).
            click.echo(f"{'Abstained' if final.abstained else 'Checked answer'}: {final.answer}")
        details = answer_text(final).split("\n", 1)
        if len(details) > 1 and details[1].strip():
            click.echo(details[1].strip("\n"))
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": final.answer}]


def _chat_turn(docqa, question: str, history: list[dict[str, str]], k: int | None,
               filters: Filters | None) -> tuple[Answer | None, str]:
    """Print tokens as they arrive; return the final Answer and the text that streamed."""
    final: Answer | None = None
    streamed: list[str] = []
    for event in docqa.stream(question, history, k=k, filters=filters):
        if isinstance(event, Answer):
            final = event
        else:
            streamed.append(event)
            click.echo(event, nl=False)
            sys.stdout.flush()
    click.echo("")
    return final, "".join(streamed)


@cli.command("eval")
@click.argument("question_set", metavar="SET")
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (same as the global --index).")
@click.option("--collection", help="Chroma collection (same as the global --collection).")
@click.option("--generator", type=click.Choice(GENERATORS.names()))
@click.option("--k", "-k", type=click.IntRange(min=1), help="Passages given to the answerer (default: top_k).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write results.jsonl, summary.json, report.md and plots here.")
@click.option("--ingest", "ingest_paths", multiple=True, help="Ingest these paths first (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N cases.")
@click.option("--split", default="test", show_default=True, help="BEIR qrels split.")
@click.option("--max-docs", type=click.IntRange(min=1), help="fitz-gov only: at most N documents in its corpus.")
@click.option("--gate", "gate_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Thresholds JSON: exit 1 naming each metric that crossed its threshold.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--rerank/--no-rerank", default=None, help="Cross-encoder reranking of the top candidates (env DOCQA_RERANK).")
@click.option("--multihop/--no-multihop", default=None, help="Second retrieval round seeded by the first (env DOCQA_MULTIHOP).")
@click.pass_context
def eval_command(ctx: click.Context, question_set: str, index: Path | None, collection: str | None,
                 generator: str | None, k: int | None, as_json: bool, out: Path | None, ingest_paths: tuple[str, ...],
                 limit: int | None, split: str, max_docs: int | None, gate_file: Path | None, quiet: bool,
                 rerank: bool | None, multihop: bool | None) -> None:
    """Run question SET (docqa .jsonl, SQuAD .json, BEIR folder, or fitz-gov) against the index and score it."""
    from eval import QuestionSetError, evaluate, gate_problems, summary_text

    docqa = _open(ctx, index=index, collection=collection, generator=generator, rerank=rerank, multihop=multihop)
    try:
        run = evaluate(docqa, question_set, generator=generator, k=k, out=out, ingest=ingest_paths, limit=limit,
                       split=split, max_docs=max_docs, progress=not quiet)
    except QuestionSetError as exc:
        raise click.ClickException(f"bad question set:\n{exc}") from exc
    if as_json:
        _dump(run.summary)
    else:
        click.echo(summary_text(run.summary))
        if out is not None:
            click.echo(f"report: {out / 'report.md'}")
    if gate_file is not None:
        problems = gate_problems(run.summary, gate_file)
        for problem in problems:
            click.echo(f"GATE FAILED: {problem}", err=True)
        if problems:
            ctx.exit(1)


def main() -> None:
    cli(prog_name="docqa")


if __name__ == "__main__":
    main()
