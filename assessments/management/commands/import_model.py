from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.model_files import (
    ImportFileError,
    ModelFileError,
    read_import_file,
    version_import,
)


class Command(BaseCommand):
    help = "Import a model version from a YAML file. Nothing is written if the file has a problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite an existing draft of the same number."
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            text = read_import_file(file)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except ImportFileError as error:
            raise CommandError(f"{file} was not imported: {error}") from error
        try:
            version = version_import(text=text, replace_draft=replace)
        except ModelFileError as error:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(error.problems)) from error
        except ValidationError as error:
            raise CommandError(f"{file} was not imported: " + " ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {version} ({version.status})."))
