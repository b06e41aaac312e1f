import itertools

import pytest

from assessments.models import BusinessProcess
from assessments.services import organisation_create
from benchmark.demo import final_assessment, lists_ensure
from benchmark.services import consent_give, profile_save

_numbers = itertools.count(1)


@pytest.fixture
def lists(db):
    """(sectors, size classes) of the demo: Retail, Healthcare, …; Small, Medium, Large."""
    return lists_ensure()


@pytest.fixture
def peer_consultant(make_user):
    return make_user("peer-consultant")


@pytest.fixture
def make_peers(smg_version, peer_consultant):
    """`make_peers(count, level, sector=…, size=…, consent=True)`: that many organisations,
    each with a final baseline at `level` for every process (`level` may be a function of the
    peer's index), the sector and size class given, consenting unless told otherwise."""

    def make(count, level=3, *, sector=None, size=None, consent=True):
        processes = list(BusinessProcess.objects.filter(version=smg_version))
        made = []
        for index in range(count):
            organisation = organisation_create(
                name=f"Peer {next(_numbers)}",
                report_language="en",
                processes=processes,
                consultant=peer_consultant,
            )
            value = level(index) if callable(level) else level
            final_assessment(
                organisation=organisation,
                version=smg_version,
                by=peer_consultant,
                level_of=lambda key, value=value: value,
            )
            profile_save(organisation=organisation, sector=sector, size_class=size)
            if consent:
                consent_give(organisation=organisation, by=peer_consultant)
            made.append(organisation)
        return made

    return make
