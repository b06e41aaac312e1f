"""What the logo check accepts and refuses, and what it says (no database)."""

import pytest
from django.core.exceptions import ValidationError

from branding.images import PNG, SVG, check_logo

from .files import GOOD_SVG, embedded_png, jpeg, noisy_png, png, svg

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>'
)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("logo.png", png(), PNG),
        ("LOGO.PNG", png(2000, 10), PNG),
        ("logo.svg", GOOD_SVG, SVG),
        ("embedded.svg", svg(f'<image href="{embedded_png()}" width="4" height="4"/>'), SVG),
        (
            "inkscape.svg",
            svg(
                '<sodipodi:namedview id="n" pagecolor="#fff"/><a href="#top"><circle r="4"/></a>',
                '<svg xmlns="http://www.w3.org/2000/svg" '
                'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
                'xmlns:xlink="http://www.w3.org/1999/xlink">'
                '<!-- made by hand --><use xlink:href="#top"/>',
            ),
            SVG,
        ),
    ],
    ids=["png", "wide-png", "svg", "embedded-png", "inkscape"],
)
def test_a_real_png_or_a_harmless_svg_is_accepted(name, data, content_type):
    logo = check_logo(name, data)
    assert (logo.content_type, logo.data) == (content_type, data)
    assert len(logo.sha256) == 64


# name, data, what the message says (a part of it)
REFUSED = [
    ("logo.png", b"Just some text, renamed.\n", "“logo.png” is not a PNG image but text."),
    ("logo.png", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is not a PNG image but a PDF document"),
    ("logo.png", jpeg(), "is not a PNG image but a JPEG image"),
    ("logo.png", b"<!doctype html><html><body>hi</body></html>", "but an HTML page"),
    ("logo.png", png()[:60], "is a damaged PNG image"),
    ("logo.png", noisy_png(420), "a PNG logo may be at most 512.0\xa0KB"),
    ("logo.png", png(2001, 10), "2001 × 10 pixels; a logo may be at most 2000 × 2000"),
    (
        "bomb.png",
        png(10, 10)[:16] + (30000).to_bytes(4, "big") * 2 + png(10, 10)[24:],
        "30000 × 30000 pixels",
    ),
    ("logo.pdf", b"%PDF-1.7", "Choose a PNG or SVG file (.png or .svg); “logo.pdf” is neither."),
    ("logo", png(), "is neither"),
    ("logo.svg", b"<!doctype html><html><script>x()</script></html>", "<!doctype"),
    ("logo.svg", b"<html><body>not svg</body></html>", "its outer element is <html>, not <svg>"),
    ("logo.svg", b"plain text", "not well-formed XML (line 1, column 1)"),
    ("logo.svg", png(), "is not an SVG image but a PNG image"),
    ("logo.svg", b"<svg viewBox='0 0 1 1'/>", 'lacks its namespace, xmlns="http://www.w3.org'),
    ("logo.svg", b"<svg " + b"x" * 300_000 + b"/>", "an SVG logo may be at most 256.0\xa0KB"),
    ("logo.svg", BILLION_LAUGHS, "a declaration <!DOCTYPE …>"),
    ("logo.svg", svg("<script>alert(1)</script>"), "holds a <script> element"),
    (
        "logo.svg",
        svg('<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>'),
        "<script>",
    ),
    ("logo.svg", svg("<foreignObject><p>hi</p></foreignObject>"), "<foreignObject> element"),
    (
        "logo.svg",
        svg("", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'),
        'event attribute onload="alert(1)" on <svg>',
    ),
    ("logo.svg", svg('<rect ONCLICK="x()"/>'), "event attribute ONCLICK"),
    (
        "logo.svg",
        svg('<image href="https://evil.example/x.png"/>'),
        'outside address: href="https://evil.example/x.png" on <image>',
    ),
    (
        "logo.svg",
        svg(
            '<image xlink:href="//evil.example/x.png"/>',
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
        ),
        'outside address: href="//evil.example/x.png" on <image>',
    ),
    ("logo.svg", svg('<use href="other.svg#a"/>'), 'href="other.svg#a" on <use>'),
    (
        "logo.svg",
        svg('<a href="java&#x09;script:alert(1)"><text>x</text></a>'),
        "script address href=",
    ),
    ("logo.svg", svg("<!-- javascript:alert(1) -->"), "“javascript:” address"),
    (
        "logo.svg",
        svg('<image href="data:text/html;base64,PHNjcmlwdD4="/>'),
        "outside address: href=",
    ),
    ("logo.svg", svg('<image href="data:image/png;base64,bm90IGEgcG5n"/>'), "not a PNG image"),
    ("logo.svg", svg('<rect fill="url(https://evil.example/f.svg#p)"/>'), "url(https"),
    ("logo.svg", svg("<rect style=\"fill: url( 'x.svg#p' )\"/>"), "url(x.svg#p) in <rect>"),
    ("logo.svg", svg("<style>@import url(#a);</style>"), "imports an outside stylesheet"),
    ("logo.svg", svg("<style>@IMPORT 'https://evil.example/a.css';</style>"), "@import"),
    ("logo.svg", svg("<style>rect { fill: \\75rl(//evil.example/a) }</style>"), "CSS escapes"),
    ("logo.svg", svg("<style>r { background: image-set('x.png' 1x) }</style>"), "image-set()"),
    (
        "logo.svg",
        b'<?xml-stylesheet href="https://evil.example/a.css"?>' + svg(""),
        "processing instruction <?xml-stylesheet …?>",
    ),
    (
        "logo.svg",
        svg('<a href="#x"><set attributeName="href" to="https://evil.example"/></a>'),
        'animates a link (<set attributeName="href">)',
    ),
    ("logo.svg", svg("<iframe/>"), "<iframe> element"),
    ("logo.svg", b'<?xml version="1.0" encoding="latin-1"?><svg/>', "save it as UTF-8"),
    ("logo.svg", "<svg>é</svg>".encode("utf-16"), "is not an SVG image but"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[m for *_n, m in REFUSED])
def test_a_file_that_is_not_a_harmless_image_is_refused_with_a_reason(name, data, message):
    with pytest.raises(ValidationError) as refused:
        check_logo(name, data)
    assert message in refused.value.messages[0]
