"""A model version as a YAML file: export, strict parsing with line numbers, import.

The file format (``format: dvo-model/1``) is what `assessments/data/smg_model.yaml` uses. A file
is checked whole before anything is written; a malformed one is refused with every problem
named by line and field.
"""

from pathlib import Path

from .exporting import version_export, version_to_data
from .importing import version_import
from .limits import ImportFileError, read_import_file
from .parsing import FORMAT, LANGUAGES, ParsedModel, parse_model_file
from .yaml_lines import ModelFileError

SMG_MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "smg_model.yaml"

__all__ = [
    "FORMAT",
    "LANGUAGES",
    "SMG_MODEL_FILE",
    "ImportFileError",
    "ModelFileError",
    "ParsedModel",
    "parse_model_file",
    "read_import_file",
    "version_export",
    "version_import",
    "version_to_data",
]
