"""The `docqa` command line: parse, call the Python API, print; errors become one clear line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from qa.errors import DocQAError
from qa.filters import Filters
from qa.models import Answer
from qa.settings import Settings
from ui.format import answer_text, ingest_summary, sources_table


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
        except DocQAError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValueError as exc:  # pydantic validation and bad arguments
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", type=click.Path(path_type=Path), help="Index directory (default ./.docqa, env DOCQA_INDEX).")
@click.option("--collection", help="Chroma collection (default docqa, env DOCQA_COLLECTION).")
@click.option("--chroma-url", help="http://HOST:PORT of a Chroma server (env DOCQA_CHROMA_URL).")
@click.version_option(package_name="docqa")
@click.pass_context
def cli(ctx: click.Context, index: Path | None, collection: str | None, chroma_url: str | None) -> None:
    """docqa: ask questions about your own documents and get cited answers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        settings = Settings().with_overrides(index=index, collection=collection, chroma_url=chroma_url)
    except ValueError as exc:
        raise click.ClickException(f"invalid setting: {exc}") from exc
    ctx.obj = {"settings": settings}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--sync", is_flag=True, help="Also remove documents whose files are gone from PATHS.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], sync: bool, as_json: bool, quiet: bool) -> None:
    """Ingest files and folders (txt, md, html, pdf, docx); unchanged files are skipped."""
    docqa = _open(ctx)
    report = docqa.ingest(list(paths), sync=sync, progress=not (as_json or quiet))
    if as_json:
        _dump(report.to_dict())
    else:
        click.echo(ingest_summary(report), err=False)
    if not report.ok:
        ctx.exit(1)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--k", "-k", type=int, help="Passages to retrieve.")
@click.option("--source", "sources", multiple=True, help="Only these sources (path, file name or glob).")
@click.option("--type", "kinds", multiple=True, help="Only these file types (pdf, html, ...).")
@click.option("--where", multiple=True, help="Metadata filter KEY=VALUE (repeatable).")
@click.option("--generator", type=click.Choice(["extractive", "openai", "ollama", "llamacpp"]))
@click.option("--history", "history_file", type=click.Path(exists=True, dir_okay=False),
              help="JSON file with earlier turns [{role, content}, ...].")
@click.option("--passages", is_flag=True, help="Also print the retrieved passages.")
@click.pass_context
def ask(ctx: click.Context, question: str, as_json: bool, k: int | None, sources: tuple[str, ...],
        kinds: tuple[str, ...], where: tuple[str, ...], generator: str | None, history_file: str | None,
        passages: bool) -> None:
    """Answer QUESTION from the ingested documents, with citations."""
    filters = Filters.parse(sources, kinds, where)
    history = json.loads(Path(history_file).read_text("utf-8")) if history_file else None
    docqa = _open(ctx, generator=generator)
    answer = docqa.ask(question, history, k=k, filters=None if filters.empty else filters)
    if as_json:
        _dump(answer.to_dict())
    else:
        click.echo(answer_text(answer, show_passages=passages))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List ingested documents."""
    found = _open(ctx).sources()
    if as_json:
        _dump([{"source": s.source, "chunks": s.chunks, "sha256": s.sha256, "kind": s.kind, "added": s.added}
               for s in found])
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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; 0.0.0.0 exposes it.")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--auth", envvar="DOCQA_AUTH", help="user:password required to open the app (env DOCQA_AUTH).")
@click.option("--ingest", "ingest_paths", multiple=True, help="Ingest these paths before serving.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, auth: str | None, ingest_paths: tuple[str, ...]) -> None:
    """Serve the web chat (Gradio) on http://HOST:PORT."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    docqa = _open(ctx)
    if ingest_paths:
        click.echo(ingest_summary(docqa.ingest(list(ingest_paths), progress=True)))
    from ui.app import launch

    credentials = None
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user or not password:
            raise click.ClickException("--auth expects USER:PASSWORD")
        credentials = (user, password)
    launch(docqa, host=host, port=port, auth=credentials)


@cli.command()
@click.option("--generator", type=click.Choice(["extractive", "openai", "ollama", "llamacpp"]))
@click.pass_context
def chat(ctx: click.Context, generator: str | None) -> None:
    """Chat in the terminal; follow-up questions keep the conversation's context."""
    docqa = _open(ctx, generator=generator)
    history: list[dict[str, str]] = []
    click.echo("Ask a question (empty line or Ctrl-D to quit, /new to start over).")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question:
            break
        if question == "/new":
            history.clear()
            continue
        final: Answer | None = None
        for event in docqa.stream(question, history):
            if isinstance(event, Answer):
                final = event
            else:
                click.echo(event, nl=False)
                sys.stdout.flush()
        click.echo("")
        if final is not None:
            click.echo(answer_text(final).split("\n", 1)[1] if "\n" in answer_text(final) else "")
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": final.answer}]


def main() -> None:
    cli(prog_name="docqa")


if __name__ == "__main__":
    main()
