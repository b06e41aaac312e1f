import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Organisation
from backups.organisation_json import organisation_to_data


class Command(BaseCommand):
    help = "Write one organisation, with all its assessments and roadmaps, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's name or id")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, organisation: str, output: Path | None, **options):
        found = Organisation.objects.filter(name=organisation).first()
        if found is None and organisation.isdigit():
            found = Organisation.objects.filter(pk=int(organisation)).first()
        if found is None:
            raise CommandError(f"No organisation '{organisation}'.")
        text = json.dumps(organisation_to_data(found), ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {found} to {output}."))
