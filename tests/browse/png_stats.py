"""Just enough PNG decoding (zlib + struct) to tell a rendered screenshot from a blank one."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_stats(data: bytes) -> tuple[int, float]:
    """(distinct colours, share of pixels that are not white) of an 8-bit RGB(A) PNG."""
    assert data[:8] == SIGNATURE, "not a PNG"
    width, height, channels, pixels = _read(data)
    colours, plain = set(), 0
    stride = width * channels
    for y in range(height):
        line = pixels[y * stride:(y + 1) * stride]
        for x in range(0, stride, channels):
            colour = line[x:x + 3]
            colours.add(colour)
            plain += colour == b"\xff\xff\xff"
    return len(colours), 1 - plain / (width * height)


def _read(data: bytes) -> tuple[int, int, int, bytes]:
    pos, idat, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat.append(chunk)
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, "unexpected PNG layout"
    channels = 3 if colour_type == 2 else 4
    return width, height, channels, _unfilter(zlib.decompress(b"".join(idat)), width * channels,
                                              height, channels)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytes:
    out = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        out += line
        previous = line
    return bytes(out)


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner  # Paeth
    far = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    if far[0] <= far[1] and far[0] <= far[2]:
        return left
    return up if far[1] <= far[2] else corner
