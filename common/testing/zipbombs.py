"""Hostile ZIP packages for tests and `make bench-uploads`: zip bombs that say what they hold
(their directory promises gigabytes) and ones that lie (the directory says little, the data
inflates to much more). Written by hand because zipfile would have to compress every byte.
"""

import functools
import struct
import zlib

_MB = 1024 * 1024


@functools.lru_cache(maxsize=8)
def deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zero bytes as a raw deflate stream, and their CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = bytes(_MB)
    parts, crc, left = [], 0, size
    while left:
        piece = chunk[: min(left, _MB)]
        parts.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def package(entries) -> bytes:
    """A ZIP file from (name, data, crc, declared_size, method) entries; method 8 means
    `data` is already deflated, 0 that it is stored as is."""
    body, directory = bytearray(), bytearray()
    for name, data, crc, declared, method in entries:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            declared,
            len(encoded),
            0,
        )
        body += encoded + data
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            declared,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += encoded
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        len(entries),
        len(entries),
        len(directory),
        len(body),
        0,
    )
    return bytes(body + directory + end)


def _stored(name: str, text: str):
    data = text.encode()
    return (name, data, zlib.crc32(data), len(data), 0)


CONTENT_TYPES = _stored(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"/>',
)


def bomb(kind: str, *, inflated: int, entries: int = 1, lie: bool = False, says: int = 0) -> bytes:
    """A .docx or .xlsx whose `entries` bomb parts each inflate to `inflated` bytes of zeros;
    with `lie`, the directory says each part is 1 kB; with `says`, that it is `says` bytes
    (a lie the directory alone cannot reveal)."""
    payload, crc = deflated_zeros(inflated)
    part = "word/document.xml" if kind == "docx" else "xl/sharedStrings.xml"
    marker = _stored("xl/workbook.xml", "<workbook/>") if kind == "xlsx" else None
    parts = [CONTENT_TYPES] + ([marker] if marker else [])
    for index in range(entries):
        name = part if index == 0 else f"{part[:-4]}{index}.xml"
        if says:
            parts.append((name, payload, zlib.crc32(bytes(says)), says, 8))
        elif lie:
            # The CRC of the first kilobyte, so zipfile's own reading (which stops at the
            # declared size) would find nothing wrong.
            parts.append((name, payload, zlib.crc32(bytes(1024)), 1024, 8))
        else:
            parts.append((name, payload, crc, inflated, 8))
    return package(parts)


def bomb_at(kind: str, limit: int, *, lie: bool = False) -> bytes:
    """A bomb as close under `limit` bytes as whole 1 GB parts allow (~1 MB each)."""
    one_gb = 1024 * _MB
    single = len(bomb(kind, inflated=one_gb, lie=lie))
    count = max(1, limit // single)
    return bomb(kind, inflated=one_gb, entries=count, lie=lie)
