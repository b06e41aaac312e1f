"""Serve plotly.js from the plotly package as our own static file (no CDN, no copy in git)."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PREFIX = "vendor/plotly/"


class PlotlyFinder(BaseFinder):
    """Finds `vendor/plotly/plotly.min.js`, the bundle the installed plotly package ships."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_JS.parent))
        self.storage.prefix = PREFIX.rstrip("/")

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False):
        if path == PREFIX + PLOTLY_JS.name and PLOTLY_JS.exists():
            return [str(PLOTLY_JS)] if find_all else str(PLOTLY_JS)
        return []

    def list(self, ignore_patterns):
        if PLOTLY_JS.exists():
            yield PLOTLY_JS.name, self.storage
