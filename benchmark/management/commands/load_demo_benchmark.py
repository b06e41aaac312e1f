"""Demo data of the peer benchmark (idempotent): the sectors and size classes, the demo
organisation of `load_demo` in Retail, medium-sized, consenting, and twelve consenting peer
organisations with a final baseline each, so that its benchmark page shows the peer band
compared with all peers, with its sector and with its size. The peers belong to a consultant
of their own (who cannot sign in): the demo users never see them."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.management.commands.load_demo import DEMO_ORGANISATION, DEMO_USERS
from assessments.models import BusinessProcess, Membership, ModelVersion, Organisation
from assessments.services import organisation_create
from benchmark.demo import final_assessment, lists_ensure
from benchmark.models import Consent
from benchmark.services import consent_give, profile_save

PEERS = 12
PEER_CONSULTANT = "demo-peers"


def peer_level(peer: int, process: int) -> int:
    """A spread of levels around 2–3, different per peer and per process."""
    return max(1, min(5, 2 + (peer * 5 + process * 3) % 7 // 2 - (peer % 3 == 0)))


class Command(BaseCommand):
    help = "Create sectors, size classes and consenting peers for the demo (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("load_smg_model", stdout=self.stdout)
        sectors, sizes = lists_ensure()
        retail, medium = sectors[0], sizes[1]
        version = ModelVersion.objects.published().get(model__key="smg", number=1)
        processes = list(BusinessProcess.objects.filter(version=version).order_by("order"))
        peers_consultant, created = get_user_model().objects.get_or_create(
            username=PEER_CONSULTANT, defaults={"first_name": "Demo", "last_name": "peers"}
        )
        if created:
            peers_consultant.set_unusable_password()
            peers_consultant.save()
        order = {process.key: number for number, process in enumerate(processes)}
        made = 0
        for index in range(PEERS):
            name = f"Demo peer {index + 1:02}"
            if Organisation.objects.visible_to(peers_consultant).filter(name=name).exists():
                continue
            organisation = organisation_create(
                name=name, report_language="en", processes=processes, consultant=peers_consultant
            )
            final_assessment(
                organisation=organisation,
                version=version,
                by=peers_consultant,
                level_of=lambda key, peer=index: peer_level(peer, order[key]),
            )
            # Half in Retail, half medium-sized: every group the demo offers has 6 peers and
            # leaves 6 out.
            profile_save(
                organisation=organisation,
                sector=retail if index % 2 == 0 else sectors[1 + index % 3],
                size_class=medium if index % 4 < 2 else sizes[(index % 4 == 2) * 2],
            )
            consent_give(organisation=organisation, by=peers_consultant)
            made += 1
        consultant = (
            get_user_model().objects.filter(username=DEMO_USERS[0][0]).first()
            if DEMO_USERS
            else None
        )
        demo = (
            Organisation.objects.filter(
                name=DEMO_ORGANISATION,
                memberships__user=consultant,
                memberships__role=Membership.Role.CONSULTANT,
            ).first()
            if consultant
            else None
        )
        if demo is not None:
            profile_save(organisation=demo, sector=retail, size_class=medium)
            if not Consent.objects.active().filter(organisation=demo).exists():
                consent_give(organisation=demo, by=consultant)
            self.stdout.write(f"{DEMO_ORGANISATION}: Retail, medium-sized, takes part.")
        else:
            self.stdout.write(f"No {DEMO_ORGANISATION} (run load_demo first): peers only.")
        self.stdout.write(self.style.SUCCESS(f"Peer benchmark demo: {made} new peers."))
