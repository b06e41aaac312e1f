from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.model_files import version_export
from assessments.models import ModelVersion


class Command(BaseCommand):
    help = "Export a model version as YAML (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("model", help="the model's key, e.g. smg")
        parser.add_argument("number", type=int, help="the version number")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, model: str, number: int, output: Path | None, **options):
        version = ModelVersion.objects.filter(model__key=model, number=number).first()
        if version is None:
            raise CommandError(f"No version {number} of model '{model}'.")
        text = version_export(version)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {version} to {output}."))
