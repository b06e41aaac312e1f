"""Small logo files for the tests, good and bad."""

import base64
import io

from PIL import Image

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
GOOD_SVG = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n{SVG_OPEN}'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
    "<style>.a { fill: url(#g); }</style>"
    '<rect class="a" width="10" height="10"/><use href="#g"/></svg>'
).encode()


def png(width=40, height=20, colour=(0, 105, 92)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def noisy_png(side: int) -> bytes:
    """A PNG that compresses badly: `side` × `side` pixels of noise."""
    import random

    rng = random.Random(7)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def svg(body: str, open_tag: str = SVG_OPEN) -> bytes:
    return f"{open_tag}{body}</svg>".encode()


def embedded_png() -> str:
    return "data:image/png;base64," + base64.b64encode(png(4, 4)).decode()
