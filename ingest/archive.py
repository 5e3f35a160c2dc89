"""Opens zip-based documents (docx today; pptx, xlsx, epub, odt alike) only after proving they inflate within limits."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from ingest.limits import MIB, Budget, LoadError

ZIP_RATIO_GRACE = 1 * MIB  # members inflating to less than this skip the ratio check (a tiny XML part compresses 200:1)
_INFLATE_STEP = 1 * MIB  # at most this much inflated output in memory at once while measuring a member
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zip local file header: 30 bytes before the name and extra field
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}


def checked_zip(data: bytes, budget: Budget, *, what: str) -> zipfile.ZipFile:
    """The archive in `data`, once every member has been inflated (in bounded steps, nothing kept) and found within
    the member-count, inflated-size and compression-ratio limits. Sizes are measured, not taken from the
    directory: a bomb may declare small sizes, and zipfile inflates a member whole before trimming it to them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as err:
        raise LoadError(f"not a valid {what} (corrupt zip package)") from err
    limits = budget.limits
    if len(members) > limits.max_zip_members:
        raise LoadError(f"{what} has {len(members):,} zip members (limit {limits.max_zip_members:,}; "
                        "raise DOCQA_MAX_ZIP_MEMBERS)")
    _check_declared(members, budget, what)
    total = 0
    for member in members:
        total += _inflated_size(data, member, budget, what, room=limits.max_unzipped_bytes - total)
    return archive


def _check_declared(members: list[zipfile.ZipInfo], budget: Budget, what: str) -> None:
    """Refuse on the directory alone when it already admits to a bomb: cheap, and most bombs do."""
    limits = budget.limits
    declared = sum(m.file_size for m in members)
    if declared > limits.max_unzipped_bytes:
        raise LoadError(_too_big(what, declared, limits.max_unzipped_bytes))
    for member in members:
        if member.flag_bits & 0x1:
            raise LoadError(f"{what} has an encrypted zip member {member.filename!r}")
        if member.compress_type not in _METHODS:
            raise LoadError(f"{what} member {member.filename!r} uses zip compression method {member.compress_type} "
                            "(only stored and deflated are read)")
        _check_member(member, member.file_size, budget, what)


def _check_member(member: zipfile.ZipInfo, size: int, budget: Budget, what: str) -> None:
    limits = budget.limits
    if size > ZIP_RATIO_GRACE and size > limits.max_zip_ratio * max(member.compress_size, 1):
        ratio = size / max(member.compress_size, 1)
        raise LoadError(f"{what} member {member.filename!r} inflates {ratio:,.0f}:1 (limit {limits.max_zip_ratio:g}:1, "
                        "a zip bomb?; raise DOCQA_MAX_ZIP_RATIO)")
    if member.filename.lower().endswith((".xml", ".rels")) and size > limits.max_xml_bytes:
        raise LoadError(f"{what} member {member.filename!r} inflates to {size / MIB:,.1f} MB of XML "
                        f"(limit {limits.max_xml_bytes / MIB:g} MB; raise DOCQA_MAX_UNZIPPED_MB)")


def _inflated_size(data: bytes, member: zipfile.ZipInfo, budget: Budget, what: str, room: int) -> int:
    """Inflate one member in steps, counting bytes; stop at the first limit it crosses or where it outgrows the
    size it declared."""
    start = _data_offset(data, member, what)
    end = start + member.compress_size
    if end > len(data):
        raise LoadError(f"not a valid {what} (zip member {member.filename!r} is truncated)")
    if member.compress_type == zipfile.ZIP_STORED:
        return member.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size, position, allowed = 0, start, min(member.file_size, room)
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if position >= end:
                    break
                pending, position = data[position : min(position + _INFLATE_STEP, end)], position + _INFLATE_STEP
            size += len(inflater.decompress(pending, _INFLATE_STEP))
            pending = inflater.unconsumed_tail
            if size > allowed:
                if size > member.file_size:
                    raise LoadError(f"{what} member {member.filename!r} inflates past the size it declares "
                                    f"({member.file_size:,} bytes): a zip bomb?")
                raise LoadError(_too_big(what, size, budget.limits.max_unzipped_bytes))
            _check_member(member, size, budget, what)
            budget.check()
    except zlib.error as err:
        raise LoadError(f"not a valid {what} (zip member {member.filename!r} is corrupt)") from err
    return size


def _data_offset(data: bytes, member: zipfile.ZipInfo, what: str) -> int:
    header = data[member.header_offset : member.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise LoadError(f"not a valid {what} (bad zip header for {member.filename!r})")
    fields = _LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[-2], fields[-1]
    return member.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _too_big(what: str, size: int, limit: int) -> str:
    return (f"{what} inflates to over {size / MIB:,.0f} MB (limit {limit / MIB:g} MB, a zip bomb?; "
            "raise DOCQA_MAX_UNZIPPED_MB)")
