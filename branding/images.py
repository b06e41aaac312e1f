"""Checking an uploaded logo: a PNG that Pillow reads whole, or an SVG that can do nothing but
draw itself. Pure: bytes in, a `CheckedLogo` or a ValidationError that says what is wrong.

An SVG is refused rather than cleaned. A cleaner that rewrites the file has to be right about
every way SVG and CSS can run code or fetch something (and the consultant would not know what
was dropped from their logo); a refusal only has to recognise the dangerous parts and name
them, so the designer can export the file again without them. Logos are small files from a
drawing program: they need no scripts, no event attributes, no outside references, no DOCTYPE.
"""

import base64
import binascii
import contextlib
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from PIL import Image

PNG = "image/png"
SVG = "image/svg+xml"
EXTENSIONS = {PNG: "png", SVG: "svg"}

MAX_PNG_BYTES = 512 * 1024
MAX_PNG_SIDE = 2000  # pixels, either way
MAX_SVG_BYTES = 256 * 1024

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Elements that run code or embed a document, whatever namespace they are written in.
FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
}
ANIMATIONS = {"animate", "set"}  # these can rewrite an href after the checks have passed
_DECLARATION = re.compile(r"<!\s*([A-Za-z]+)")  # <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST
_PROCESSING = re.compile(r"<\?\s*([^\s?>]*)")
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)""")
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"[\s\x00-\x1f]+")
_EMBEDDED_PNG = re.compile(r"data:image/png;base64,(.*)", re.IGNORECASE | re.DOTALL)
_SCHEMES = ("javascript:", "vbscript:")


@dataclass(frozen=True)
class CheckedLogo:
    content_type: str
    data: bytes
    sha256: str


def check_logo(name: str, data: bytes, size: int | None = None) -> CheckedLogo:
    """The upload `data` named `name` as a logo to store, or a ValidationError. `size`: the
    upload's size where `data` is only its beginning (enough to refuse a file too large)."""
    extension = PurePath(name).suffix.lower()
    if extension == ".png":
        check_png(name, data, size)
        content_type = PNG
    elif extension == ".svg":
        check_svg(name, data, size)
        content_type = SVG
    else:
        raise ValidationError(
            _("Choose a PNG or SVG file (.png or .svg); “%(name)s” is neither.") % {"name": name},
            code="extension",
        )
    return CheckedLogo(content_type, data, hashlib.sha256(data).hexdigest())


def _what_it_is(data: bytes) -> str:
    """A reader's description of a file that is not the image it claims to be."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return _("a PDF document")
    if head.startswith((b"<!doctype html", b"<html")):
        return _("an HTML page")
    if b"<svg" in head:
        return _("an SVG image")
    # Pillow raises many kinds of error for a file it cannot place.
    with contextlib.suppress(Exception), Image.open(io.BytesIO(data)) as image:
        return _("a %(format)s image") % {"format": image.format}
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return _("a file of an unknown kind")
    return _("text")


def _check_pixels(width: int, height: int) -> None:
    if width > MAX_PNG_SIDE or height > MAX_PNG_SIDE:
        raise ValidationError(
            _(
                "The image is %(width)s × %(height)s pixels; a logo may be at most "
                "%(max)s × %(max)s."
            )
            % {"width": width, "height": height, "max": MAX_PNG_SIDE},
            code="too_many_pixels",
        )


def check_png(name: str, data: bytes, size: int | None = None) -> None:
    size = len(data) if size is None else size
    if size > MAX_PNG_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a PNG logo may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_PNG_BYTES)},
            code="too_large",
        )
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError(
            _("“%(name)s” is not a PNG image but %(what)s.")
            % {"name": name, "what": _what_it_is(data)},
            code="not_png",
        )
    if data[12:16] == b"IHDR" and len(data) >= 24:
        # From the header, before Pillow: a small file can claim a billion pixels.
        _check_pixels(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    try:
        with Image.open(io.BytesIO(data)) as image:
            real_format, (width, height) = image.format, image.size
            image.verify()
        if real_format != "PNG":
            raise ValueError(real_format)
        _check_pixels(width, height)
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel decodes: a truncated or corrupt file fails here
    except ValidationError:
        raise
    except Exception as error:  # Pillow's errors for a broken file vary
        raise ValidationError(
            _("“%(name)s” is a damaged PNG image: it cannot be read completely.") % {"name": name},
            code="damaged",
        ) from error


def _short(value: str) -> str:
    return Truncator(value.strip()).chars(80)


def _local(name: str) -> tuple[str, str]:
    """`{namespace}local` → (namespace, local)."""
    if name.startswith("{"):
        namespace, _sep, local = name[1:].partition("}")
        return namespace, local
    return "", name


def check_svg(name: str, data: bytes, size: int | None = None) -> None:
    size = len(data) if size is None else size
    if size > MAX_SVG_BYTES:
        raise ValidationError(
            _("The file is %(size)s; an SVG logo may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_SVG_BYTES)},
            code="too_large",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("“%(name)s” is not an SVG image but %(what)s.")
            % {"name": name, "what": _what_it_is(data)},
            code="not_svg",
        ) from error
    encoding = _ENCODING.match(text.lstrip("\ufeff"))
    if encoding and encoding.group(1).lower().replace("_", "-") not in {
        "utf-8",
        "utf8",
        "us-ascii",
    }:
        raise ValidationError(
            _("The SVG says it is written in %(encoding)s; save it as UTF-8.")
            % {"encoding": encoding.group(1)},
            code="encoding",
        )
    # Before any parser sees it: an entity declared in a DOCTYPE can expand a few hundred
    # bytes into gigabytes ("billion laughs") or pull in a file from elsewhere.
    for declaration in _DECLARATION.finditer(text):
        raise ValidationError(
            _(
                "The SVG holds a declaration <!%(declaration)s …>. Logos need no DOCTYPE or "
                "entities, and entities can make a reader expand text without end: remove it."
            )
            % {"declaration": declaration.group(1)},
            code="declaration",
        )
    for instruction in _PROCESSING.finditer(text):
        if instruction.group(1).lower() != "xml":  # the XML declaration itself is fine
            raise ValidationError(
                _(
                    "The SVG holds a processing instruction <?%(target)s …?>, which can load "
                    "other files: remove it."
                )
                % {"target": instruction.group(1)},
                code="processing_instruction",
            )
    try:
        # No DTD reaches the parser (refused above), so no entity can expand or load a file.
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:
        line, column = error.position
        raise ValidationError(
            _(
                "“%(name)s” is not a readable SVG image: it is not well-formed XML (line "
                "%(line)s, column %(column)s)."
            )
            % {"name": name, "line": line, "column": column + 1},
            code="not_xml",
        ) from error
    if root.tag == "svg":
        raise ValidationError(
            _(
                'The SVG lacks its namespace, xmlns="%(namespace)s" on <svg>: browsers do '
                "not show it as an image without it."
            )
            % {"namespace": SVG_NS},
            code="no_namespace",
        )
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValidationError(
            _("“%(name)s” is not an SVG image: its outer element is <%(element)s>, not <svg>.")
            % {"name": name, "element": _local(root.tag)[1]},
            code="not_svg",
        )
    for element in root.iter():
        _check_element(element)
    collapsed = _INVISIBLE.sub("", text).lower()
    for scheme in _SCHEMES:
        if scheme in collapsed:  # in a comment, a text, wherever: a logo has no use for it
            raise ValidationError(
                _("The SVG holds a “%(scheme)s” address, which can run code: remove it.")
                % {"scheme": scheme},
                code="script_address",
            )


def _check_element(element) -> None:
    namespace, tag = _local(element.tag)
    if tag.lower() in FORBIDDEN_ELEMENTS or namespace == XHTML_NS:
        raise ValidationError(
            _(
                "The SVG holds a <%(element)s> element, which can run code or embed a web "
                "page; a logo may not contain it."
            )
            % {"element": tag},
            code="forbidden_element",
        )
    attributes = {_local(key)[1]: value for key, value in element.attrib.items()}
    animated = attributes.get("attributeName", "").lower()
    if tag in ANIMATIONS and (animated.endswith("href") or animated.startswith("on")):
        raise ValidationError(
            _(
                'The SVG animates a link (<%(element)s attributeName="%(attribute)s">), '
                "which can point it outside the file; a logo may not contain it."
            )
            % {"element": tag, "attribute": attributes["attributeName"]},
            code="animated_link",
        )
    for key, value in element.attrib.items():
        attribute = _local(key)[1]
        shown = {"element": tag, "attribute": attribute, "value": _short(value)}
        if attribute.lower().startswith("on"):
            raise ValidationError(
                _(
                    'The SVG has an event attribute %(attribute)s="%(value)s" on '
                    "<%(element)s>, which runs code; a logo may not contain it."
                )
                % shown,
                code="event_attribute",
            )
        collapsed = _INVISIBLE.sub("", value).lower()
        if any(scheme in collapsed for scheme in _SCHEMES):
            raise ValidationError(
                _(
                    'The SVG has a script address %(attribute)s="%(value)s" on '
                    "<%(element)s>; a logo may not contain it."
                )
                % shown,
                code="script_address",
            )
        if attribute == "href" and not value.strip().startswith("#"):
            _check_href(value, shown)
        _check_css(value, shown)
    if tag == "style":
        _check_css(element.text or "", {"element": tag, "attribute": "", "value": ""})


def _check_href(value: str, shown: dict) -> None:
    embedded = _EMBEDDED_PNG.fullmatch(value.strip())
    if embedded is None:
        raise ValidationError(
            _(
                'The SVG refers to an outside address: %(attribute)s="%(value)s" on '
                "<%(element)s>. A logo must be self-contained: embed the picture as PNG data "
                "or remove the reference."
            )
            % shown,
            code="outside_reference",
        )
    try:
        png = base64.b64decode(_INVISIBLE.sub("", embedded.group(1)), validate=True)
        check_png(_("the embedded image"), png)
    except (binascii.Error, ValueError) as error:
        raise ValidationError(
            _("The SVG embeds a picture on <%(element)s> that is not valid PNG data.") % shown,
            code="embedded_image",
        ) from error


def _check_css(value: str, shown: dict) -> None:
    """Style text (a <style> element, a style or presentation attribute) may refer only to
    parts of the file itself: url(#id)."""
    lowered = value.lower()
    if "\\" in value:
        # CSS escapes can spell url( or @import so that no check of ours recognises them.
        raise ValidationError(
            _(
                "The SVG uses CSS escapes (a backslash) in <%(element)s>, which can hide an "
                "outside reference: remove them."
            )
            % shown,
            code="css_escape",
        )
    if "@import" in lowered:
        raise ValidationError(
            _(
                "The SVG's <%(element)s> imports an outside stylesheet (@import); a logo may "
                "not contain it."
            )
            % shown,
            code="css_import",
        )
    if "image-set(" in lowered:
        raise ValidationError(
            _(
                "The SVG refers to outside pictures with image-set() in <%(element)s>; a logo "
                "may not contain it."
            )
            % shown,
            code="outside_reference",
        )
    for match in _URL.finditer(value):
        if not match.group(2).strip().startswith("#"):
            raise ValidationError(
                _(
                    "The SVG refers to an outside address with url(%(target)s) in "
                    "<%(element)s>. Only references within the file, url(#…), are allowed."
                )
                % {**shown, "target": _short(match.group(2))},
                code="outside_reference",
            )
