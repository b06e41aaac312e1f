"""What WeasyPrint may load while it renders a report: `data:` URLs and files under our static
folders. Nothing else: no other file, no network (a note can never pull in /etc/passwd or a
tracker, whatever reaches the HTML)."""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


def static_roots() -> list[Path]:
    return [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]


class StaticOnlyFetcher(URLFetcher):
    """`refused` lists every URL it turned down, so tests can prove nothing else was read."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()  # resolves "..", and symlinks
            if path.is_file() and any(path.is_relative_to(root) for root in static_roots()):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )
        self.refused.append(url)
        logger.warning("report: refused to fetch %s", url[:200])
        raise ValueError(f"refused to fetch {url[:200]}")
