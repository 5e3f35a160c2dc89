"""Who is calling the server (API key or signed-in user) and which collections each caller may use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

ALL = "*"
Logins = tuple[str, str] | list[tuple[str, str]] | None  # one (user, password) or several


class AccessDenied(Exception):
    """The caller may not see or change this collection; the message names it."""


@dataclass(frozen=True)
class Caller:
    """One authenticated caller: `name` is how the access list names it, `owner` keys its saved conversations."""

    name: str
    owner: str
    collections: frozenset[str] | None  # None: every collection, and may create new ones (an admin)

    @property
    def admin(self) -> bool:
        return self.collections is None

    def may_use(self, collection: str) -> bool:
        return self.collections is None or collection in self.collections

    def check(self, collection: str) -> None:
        if not self.may_use(collection):
            raise AccessDenied(f"collection {collection!r} is not among this caller's collections")


def parse_access(spec: str | None) -> dict[str, frozenset[str]] | None:
    """`name=coll1,coll2; other=*` inline, or the path of a TOML file `name = ["coll1", "coll2"]`; None: no list."""
    if spec is None or not spec.strip():
        return None
    spec = spec.strip()
    if spec.endswith(".toml") or Path(spec).is_file():
        try:
            data = tomllib.loads(Path(spec).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"access file {spec}: {exc}") from exc
        table: Mapping[str, object] = data.get("access", data)  # type: ignore[assignment]
        entries = {str(name): _names(value, f"access file {spec}: {name}") for name, value in table.items()}
    else:
        entries = {}
        for part in filter(None, (p.strip() for p in spec.replace("\n", ";").split(";"))):
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                raise ValueError(f"DOCQA_ACCESS entry {part!r} must look like NAME=collection1,collection2")
            entries[name.strip()] = _names([v.strip() for v in value.split(",") if v.strip()], f"DOCQA_ACCESS {name}")
    return entries


def _names(value: object, where: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of collection names")
    return frozenset(value)


class Gate:
    """Checks API keys and HTTP Basic credentials and tells each caller its collections."""

    def __init__(self, api_keys: list[str] | tuple[str, ...] = (), auth: Logins = None,
                 access: dict[str, frozenset[str]] | None = None) -> None:
        self.api_keys = tuple(k for k in api_keys if k)
        self.logins = dict([auth] if isinstance(auth, tuple) else auth or [])
        self.access = access

    @property
    def required(self) -> bool:
        return bool(self.api_keys) or bool(self.logins)

    def caller(self, authorization: str | None) -> Caller | None:
        """The caller named by an Authorization header, or None when the header is missing or wrong."""
        scheme, _, value = (authorization or "").partition(" ")
        value = value.strip()
        if not self.required:
            return self._caller("anonymous", "anonymous")
        if scheme.lower() == "bearer" and value:
            for key in self.api_keys:
                if hmac.compare_digest(key.encode(), value.encode()):
                    # Saved conversations are filed under a digest, so the database never holds a key.
                    return self._caller(key, "key:" + hashlib.sha256(key.encode()).hexdigest()[:16])
        if scheme.lower() == "basic" and value and self.logins:
            try:
                user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return self.user(user) if self._password_ok(user, password) else None
        return None

    def user(self, username: str) -> Caller:
        """A user already signed in (through the web chat's login)."""
        return self._caller(username, f"user:{username}")

    def _password_ok(self, user: str, password: str) -> bool:
        expected = self.logins.get(user)
        return expected is not None and hmac.compare_digest(password.encode(), expected.encode())

    def _caller(self, name: str, owner: str) -> Caller:
        if self.access is None:
            return Caller(name, owner, None)
        allowed = self.access.get(name, frozenset())
        return Caller(name, owner, None if ALL in allowed else allowed)
