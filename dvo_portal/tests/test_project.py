"""The project's own wiring: every app's tests run with the README's test command."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_folder_with_tests_is_in_the_pytest_testpaths():
    base = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(base / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    with_tests = {
        path.parent.name
        for path in base.glob("*/tests")
        if path.is_dir() and any(path.glob("test_*.py"))
    }
    assert with_tests <= testpaths, f"not run by `make test`: {sorted(with_tests - testpaths)}"
