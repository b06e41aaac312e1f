"""Drafting proposals from gaps: pure, table-driven, no database."""

import pytest

from assessments.scoring import CriterionSpec as C
from roadmaps.planning import ProcessGap, draft

#   level:     2        3                 4
#   generic:   g2       g3, base3 (b)     g4
POLICY = C("base3", 3, "governance")
G2, G3, G4 = C("g2", 2, "people"), C("g3", 3, "process"), C("g4", 4, "technology")


def keys(proposals):
    return [(p.process, p.criterion) for p in proposals]


def test_only_processes_below_their_ambition_get_items_in_plan_order():
    """sales: level 1 -> 4, unmet g2 g3 base3 g4; hr: at its ambition; ops: no ambition."""
    gaps = [
        ProcessGap("sales", 1, 4, (G2, G3, POLICY, G4)),
        ProcessGap("hr", 3, 3, (G4,)),
        ProcessGap("ops", 1, None, (G2,)),
        ProcessGap("mkt", 2, 3, (G3, POLICY)),
    ]
    proposals = draft(gaps, baseline={"base3"})
    assert keys(proposals) == [
        ("sales", "base3"),  # level-3 baseline conditions first of all
        ("mkt", "base3"),
        ("sales", "g2"),  # then by level
        ("sales", "g3"),
        ("mkt", "g3"),
        ("sales", "g4"),
    ]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, [(0, 7)]),
        (2, [(0, 3), (4, 7)]),
        (3, [(0, 1), (2, 4), (5, 7)]),
        (8, [(q, q) for q in range(8)]),
        (16, [(q // 2, q // 2) for q in range(16)]),
    ],
)
def test_proposals_are_spread_over_year_one_and_two(count, expected):
    unmet = tuple(C(f"c{i}", 2, "people") for i in range(count))
    proposals = draft([ProcessGap("p", 1, 2, unmet)], baseline=set())
    assert [(p.start, p.end) for p in proposals] == expected


def test_existing_items_are_not_proposed_again():
    gaps = [ProcessGap("sales", 1, 3, (G2, G3))]
    proposals = draft(gaps, baseline=set(), existing={("sales", "g2")})
    assert keys(proposals) == [("sales", "g3")]
    assert draft(gaps, baseline=set(), existing={("sales", "g2"), ("sales", "g3")}) == []


def test_a_proposal_carries_level_and_dimension():
    (proposal,) = draft([ProcessGap("sales", 3, 4, (G4,))], baseline=set())
    assert (proposal.level, proposal.dimension) == (4, "technology")
