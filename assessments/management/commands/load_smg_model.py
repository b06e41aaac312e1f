from django.core.management.base import BaseCommand

from assessments.model_files import SMG_MODEL_FILE, parse_model_file, version_import
from assessments.models import ModelVersion


class Command(BaseCommand):
    help = "Load the default Social Media Growth model (idempotent: an existing version is kept)."

    def handle(self, *args, **options):
        text = SMG_MODEL_FILE.read_text(encoding="utf-8")
        parsed = parse_model_file(text)
        existing = ModelVersion.objects.filter(
            model__key=parsed.model["key"], number=parsed.version["number"]
        ).first()
        if existing is not None:
            self.stdout.write(f"{existing} is already loaded.")
            return
        version = version_import(text=text)
        self.stdout.write(self.style.SUCCESS(f"Loaded {version}."))
