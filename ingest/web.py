"""Fetches web pages for ingest (address checks, robots.txt, size/time/type limits, same-site crawl) into snapshot files."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from ingest.discover import Found

USER_AGENT = "docqa"
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
# Content types docqa reads, and the extension that sends each snapshot to its loader.
CONTENT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
                 "text/markdown": ".md", "application/pdf": ".pdf"}


class FetchError(Exception):
    """A page could not be fetched or was refused; `str(err)` is one line giving the reason."""


@dataclass(frozen=True)
class WebOptions:
    """Limits of one URL ingest: every fetched page obeys them, crawled or given."""

    max_bytes: int = 20 * 2**20
    timeout: float = 20.0
    allow_private: bool = False
    crawl_depth: int = 0  # 0: only the given pages; n: also links up to n hops away on the same site
    max_pages: int = 50


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    body: bytes


def is_url(text: str | os.PathLike[str]) -> bool:
    return isinstance(text, str) and text.lower().startswith(("http://", "https://"))


def snapshot_dir(index: Path) -> Path:
    return Path(index) / "web"


def snapshot_path(index: Path, url: str, suffix: str) -> Path:
    """One file per URL, so the pipeline's path-derived document id and its hash skip work for pages too."""
    return snapshot_dir(index) / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}{suffix}"


def fetched_at(path: str | os.PathLike[str]) -> str | None:
    """When a snapshot was last fetched (its modification time), as an ISO timestamp."""
    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat(timespec="seconds")


def check_target(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts resolving to loopback, private or link-local addresses:
    a web-chat user must not make the server fetch its own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("not an http(s) URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise FetchError(f"refused: {parts.hostname} is a private or loopback address ({address}); "
                             "pass --allow-private to fetch it")


class Fetcher:
    """GETs pages one at a time: redirects followed by hand so every hop is checked, robots.txt obeyed per site."""

    def __init__(self, options: WebOptions) -> None:
        import httpx

        self.options = options
        self._client = httpx.Client(timeout=options.timeout, follow_redirects=False,
                                    headers={"User-Agent": USER_AGENT})
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> Page:
        for _ in range(MAX_REDIRECTS + 1):
            check_target(url, self.options.allow_private)
            if not self._robots_allow(url):
                raise FetchError("disallowed by the site's robots.txt")
            status, headers, body = self._request(url, self.options.max_bytes, check_type=True)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                url = urldefrag(urljoin(url, headers["location"]))[0]
                continue
            if status >= 400:
                raise FetchError(f"HTTP {status}")
            if status != 200:
                raise FetchError(f"unexpected HTTP status {status}")
            return Page(url, _media_type(headers.get("content-type", "")), body)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str, limit: int, *, check_type: bool) -> tuple[int, dict[str, str], bytes]:
        import httpx

        try:
            with self._client.stream("GET", url) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                if response.is_redirect or response.status_code >= 400:
                    return response.status_code, headers, b""
                media = _media_type(headers.get("content-type", ""))
                if check_type and media not in CONTENT_TYPES:
                    raise FetchError(f"unsupported content type {media or '(none)'}")
                declared = headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(_too_large(limit))
                body = bytearray()
                for block in response.iter_bytes():
                    body += block
                    if len(body) > limit:  # a server may lie about, or omit, its length
                        raise FetchError(_too_large(limit))
                return response.status_code, headers, bytes(body)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {self.options.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}") from exc

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            try:
                status, _, body = self._request(origin + "/robots.txt", ROBOTS_MAX_BYTES, check_type=False)
            except FetchError:
                status, body = 404, b""  # no readable robots.txt: nothing is disallowed
            if 200 <= status < 300:
                parser.parse(body.decode("utf-8", "replace").splitlines())
            else:
                parser.parse([])  # RFC 9309: an unavailable robots.txt (4xx) allows everything
            self._robots[origin] = parser
        return parser.can_fetch(USER_AGENT, url)


def fetch_pages(urls: list[str], index: Path, options: WebOptions,
                tell: Callable[[str], None] | None = None) -> Iterator[Found]:
    """Fetch the URLs (and, with crawl_depth, their same-site links) into snapshots; one Found per page, with
    `problem` set for a page that failed. A page reached twice (a redirect, a repeated link) is fetched once."""
    fetcher = Fetcher(options)
    try:
        queue = [(urldefrag(u)[0], 0) for u in urls]
        seen: set[str] = set()
        fetched = 0
        while queue:
            url, depth = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if fetched >= options.max_pages:
                if tell:
                    tell(f"crawl stopped at the page limit ({options.max_pages})")
                return
            fetched += 1
            try:
                page = fetcher.get(url)
            except FetchError as exc:
                yield Found(url, snapshot_path(index, url, ".html"), problem=str(exc))
                continue
            if page.url != url and page.url in seen:
                continue
            seen.add(page.url)
            yield Found(page.url, _save(index, page))
            if depth < options.crawl_depth and CONTENT_TYPES[page.content_type] == ".html":
                queue += [(link, depth + 1) for link in same_site_links(page) if link not in seen]
    finally:
        fetcher.close()


def _save(index: Path, page: Page) -> Path:
    path = snapshot_path(index, page.url, CONTENT_TYPES[page.content_type])
    path.parent.mkdir(parents=True, exist_ok=True)
    for other in path.parent.glob(f"{path.stem}.*"):  # the page changed type: the old snapshot is stale
        if other != path and not other.name.endswith(".tmp"):
            other.unlink(missing_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(page.body)
    os.replace(tmp, path)  # the modification time is the fetch time, even when the content is unchanged
    return path


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def same_site_links(page: Page) -> list[str]:
    """Links of an HTML page to the same scheme, host and port, without fragments, in page order."""
    parser = _Links()
    parser.feed(page.body.decode("utf-8", "replace"))
    base = urlsplit(page.url)
    links: list[str] = []
    for href in parser.hrefs:
        link = urldefrag(urljoin(page.url, href.strip()))[0]
        parts = urlsplit(link)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and link not in links:
            links.append(link)
    return links


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _too_large(limit: int) -> str:
    return f"page too large (> {limit / 2**20:g} MB limit; raise DOCQA_WEB_MAX_MB)"


__all__ = ["FetchError", "Fetcher", "WebOptions", "fetch_pages", "fetched_at", "is_url", "same_site_links"]
