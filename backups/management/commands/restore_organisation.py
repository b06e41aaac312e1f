from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError

from backups.organisation_json import OrganisationFileError, organisation_import
from backups.reading import organisation_file_load


class Command(BaseCommand):
    help = (
        "Restore an organisation from a JSON backup. Nothing is written if the file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--rename", help="restore under another name")

    def handle(self, *args, file: Path, rename: str | None, **options):
        try:
            data = organisation_file_load(file)
            organisation, warnings = organisation_import(data, rename=rename)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except OrganisationFileError as error:
            raise CommandError(f"{file} was not restored: {error}") from error
        except (IntegrityError, DataError) as error:
            # What the checks above miss and the database refuses (a process twice in the
            # scope): the whole restore was rolled back.
            raise CommandError(f"{file} was not restored: {error}") from error
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(f"Restored {organisation}."))
