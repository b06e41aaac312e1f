import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from backups.organisation_json import OrganisationFileError, organisation_import


class Command(BaseCommand):
    help = (
        "Restore an organisation from a JSON backup. Nothing is written if the file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--rename", help="restore under another name")

    def handle(self, *args, file: Path, rename: str | None, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
            ) from error
        try:
            organisation, warnings = organisation_import(data, rename=rename)
        except OrganisationFileError as error:
            raise CommandError(f"{file} was not restored: {error}") from error
        except IntegrityError as error:
            raise CommandError(f"{file} was not restored: {error}") from error
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"Restored {organisation}."))
