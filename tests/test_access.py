"""Who may call the server and which collections each caller sees: keys, logins, access lists."""

from __future__ import annotations

import base64

import pytest

from ui.access import AccessDenied, Gate, parse_access


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_access_lists_inline_and_toml(tmp_path):
    assert parse_access(None) is None and parse_access("  ") is None
    assert parse_access("ann=docqa, reports; sk-1=docqa\nroot=*") == {
        "ann": frozenset({"docqa", "reports"}), "sk-1": frozenset({"docqa"}), "root": frozenset({"*"})}
    path = tmp_path / "access.toml"
    path.write_text('ann = ["docqa"]\nroot = "*"\n[access]\nbob = ["x1y"]\n', "utf-8")
    assert parse_access(str(path)) == {"bob": frozenset({"x1y"})}  # an [access] table wins over top-level keys
    path.write_text('ann = ["docqa"]\nroot = "*"\n', "utf-8")
    assert parse_access(str(path)) == {"ann": frozenset({"docqa"}), "root": frozenset({"*"})}


@pytest.mark.parametrize("spec, reason", [("ann", "'ann' must look like NAME=collection1"),
                                          ("=docqa", "must look like NAME="),
                                          ("missing.toml", "access file missing.toml")])
def test_bad_access_lists_name_the_entry(spec, reason, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=reason):
        parse_access(spec)


def test_bad_toml_values_name_the_entry(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text("ann = 3\n", "utf-8")
    with pytest.raises(ValueError, match="ann must be a list of collection names"):
        parse_access(str(path))


def test_keys_and_logins_identify_callers():
    gate = Gate(["sk-1", "sk-2"], [("ann", "pw")], {"sk-1": frozenset({"docqa"}), "ann": frozenset({"*"})})
    assert gate.required
    key = gate.caller("Bearer sk-1")
    assert key.name == "sk-1" and "sk-1" not in key.owner and key.may_use("docqa") and not key.may_use("other")
    assert not key.admin
    with pytest.raises(AccessDenied, match="'other'"):
        key.check("other")
    other = gate.caller("Bearer sk-2")
    assert other.collections == frozenset() and not other.may_use("docqa")  # not on the list: nothing
    ann = gate.caller(basic("ann", "pw"))
    assert ann.owner == "user:ann" and ann.admin and ann.may_use("anything")
    for header in (None, "", "Bearer", "Bearer sk-3", "Basic " + "x" * 5, basic("ann", "wrong"), basic("bob", "pw"),
                   "Token sk-1"):
        assert gate.caller(header) is None, header
    assert gate.user("ann").owner == ann.owner  # the web chat's signed-in ann is the API's ann


def test_without_keys_or_logins_everyone_is_anonymous_and_the_list_still_applies():
    assert Gate().caller(None).admin
    limited = Gate(access={"anonymous": frozenset({"docqa"})}).caller("Bearer whatever")
    assert limited.name == "anonymous" and limited.may_use("docqa") and not limited.may_use("other")
