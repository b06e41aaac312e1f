import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.model_files.limits import ID_MAX
from assessments.models import Organisation
from backups.organisation_json import organisation_to_data


class Command(BaseCommand):
    help = "Write one organisation, with all its assessments and roadmaps, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's name or id")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, organisation: str, output: Path | None, **options):
        # Names are unique per user, not per installation: two clients may share one.
        named = list(Organisation.objects.filter(name=organisation).order_by("pk")[:10])
        if len(named) > 1:
            ids = ", ".join(str(found.pk) for found in named)
            raise CommandError(
                f"{len(named)} organisations are named '{organisation}' (ids {ids}); "
                "give the id instead of the name."
            )
        found = named[0] if named else None
        # isdecimal, not isdigit: int() refuses "²"; an id beyond the column overflows SQLite.
        is_id = organisation.isdecimal() and len(organisation) <= 19
        if found is None and is_id and int(organisation) <= ID_MAX:
            found = Organisation.objects.filter(pk=int(organisation)).first()
        if found is None:
            raise CommandError(f"No organisation '{organisation}'.")
        text = json.dumps(organisation_to_data(found), ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror or error}") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {found} to {output}."))
