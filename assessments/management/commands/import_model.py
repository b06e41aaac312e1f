from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.model_files import ModelFileError, version_import


class Command(BaseCommand):
    help = "Import a model version from a YAML file. Nothing is written if the file has a problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite an existing draft of the same number."
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        try:
            version = version_import(text=text, replace_draft=replace)
        except ModelFileError as error:
            raise CommandError(f"{file} was not imported:\n" + "\n".join(error.problems)) from error
        except ValidationError as error:
            raise CommandError(f"{file} was not imported: " + " ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {version} ({version.status})."))
