"""Tests for the staged scoring in :mod:`assessments.scoring` (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    CriterionSpec,
    OverrideReasonMissing,
    ProcessResult,
    ScoringError,
    applicable,
    progress_score,
    score_process,
    staged_level,
)

DIMENSIONS = ("governance", "people", "process", "technology")
GOV, PEO, PRO, TEC = DIMENSIONS


def c(key: str, level: int, dimension: str = GOV, process: str | None = None) -> CriterionSpec:
    return CriterionSpec(key=key, level=level, dimension=dimension, process=process)


def score(
    criteria: Sequence[CriterionSpec],
    met: Collection[str],
    *,
    levels: Sequence[int] = (1, 2, 3, 4),
    process: str = "sales",
    dimensions: Sequence[str] = DIMENSIONS,
    **kwargs: object,
) -> ProcessResult:
    return score_process(
        process=process,
        levels=levels,
        dimensions=dimensions,
        criteria=criteria,
        met=met,
        **kwargs,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- basic staging

BASIC = [
    c("a2", 2),
    c("b2", 2),
    c("a3", 3),
    c("b3", 3),
    c("c3", 3),
    c("d3", 3),
    c("a4", 4),
    c("b4", 4),
]
ALL_BASIC = {x.key for x in BASIC}
LEVEL3 = {"a3", "b3", "c3", "d3"}


@pytest.mark.parametrize(
    ("met", "level", "progress", "met_count"),
    [
        pytest.param(set(), 1, 1.0, 0, id="nothing-met"),
        pytest.param({"a2"}, 1, 1.5, 1, id="level2-half"),
        pytest.param({"a2", "b2"}, 2, 2.0, 2, id="level2-full"),
        pytest.param({"a2", "b2", "a3"}, 2, 2.25, 3, id="level3-quarter"),
        pytest.param({"a2", "b2", "a3", "c3", "d3"}, 2, 2.75, 5, id="level3-three-quarters"),
        pytest.param({"a2"} | LEVEL3, 1, 1.5, 5, id="hole-at-2-level3-full"),
        pytest.param(LEVEL3 | {"a4", "b4"}, 1, 1.0, 6, id="hole-at-2-everything-above-met"),
        pytest.param({"a2", "b2"} | LEVEL3 | {"b4"}, 3, 3.5, 7, id="level4-half"),
        pytest.param({"a2", "b2", "a4", "b4"}, 2, 2.0, 4, id="level4-met-without-level3"),
        pytest.param(ALL_BASIC, 4, 4.0, 8, id="all-met-top"),
        pytest.param({"a2", "b2", "x9", "", "A3"}, 2, 2.0, 2, id="unknown-keys-ignored"),
    ],
)
def test_staged_level_and_progress(
    met: set[str], level: int, progress: float, met_count: int
) -> None:
    """Levels 1..4, one dimension, generic criteria only.

    level | criteria
    ------+----------------
      1   | (floor)
      2   | a2 b2
      3   | a3 b3 c3 d3
      4   | a4 b4
    """
    result = score(BASIC, met)
    assert result.computed_level == result.level == level
    assert result.computed_progress == result.progress == progress
    assert result.met_count == met_count
    assert result.applicable_count == 8
    assert result.overridden is False
    assert staged_level((1, 2, 3, 4), BASIC, met) == level
    assert progress_score((1, 2, 3, 4), BASIC, met) == progress


@pytest.mark.parametrize(
    ("met", "progress"),
    [
        pytest.param(set(), 1.0, id="0/3"),
        pytest.param({"a2"}, 1.33, id="1/3"),
        pytest.param({"a2", "b2"}, 1.67, id="2/3"),
        pytest.param({"a2", "b2", "c2"}, 2.0, id="3/3-top"),
    ],
)
def test_progress_is_rounded_to_two_decimals(met: set[str], progress: float) -> None:
    """Levels 1..2.

    level | criteria
    ------+----------
      2   | a2 b2 c2
    """
    criteria = [c("a2", 2), c("b2", 2), c("c2", 2)]
    assert progress_score((1, 2), criteria, met) == progress


def test_rounding_never_reaches_the_next_level() -> None:
    """199 of 200 level-2 criteria met: 1.995 would round to 2.0, but level 2 is not reached.

    level | criteria
    ------+---------------
      2   | k0 .. k199
    """
    criteria = [c(f"k{i}", 2) for i in range(200)]
    met = {f"k{i}" for i in range(199)}
    assert staged_level((1, 2), criteria, met) == 1
    assert progress_score((1, 2), criteria, met) == 1.99


# --------------------------------------------------------------------------- process-specific

PER_PROCESS = [
    c("g2", 2),
    c("s2", 2, process="sales"),
    c("h2", 2, process="hr"),
    c("g3", 3),
    c("h3", 3, process="hr"),
]


@pytest.mark.parametrize(
    ("process", "met", "level", "progress", "met_count", "applicable_count"),
    [
        pytest.param("sales", {"g2", "s2", "g3"}, 3, 3.0, 3, 3, id="sales-all-own-met"),
        pytest.param("sales", {"g2", "h2", "g3"}, 1, 1.5, 2, 3, id="sales-hr-criterion-ignored"),
        pytest.param("hr", {"g2", "h2", "g3"}, 2, 2.5, 3, 4, id="hr-blocked-by-own-h3"),
        pytest.param("hr", {"g2", "s2"}, 1, 1.5, 1, 4, id="hr-sales-criterion-ignored"),
        pytest.param("hr", {"g2", "s2", "h2", "g3", "h3"}, 3, 3.0, 4, 4, id="hr-all-met"),
        pytest.param("finance", {"g2", "g3"}, 3, 3.0, 2, 2, id="other-process-generic-only"),
        pytest.param("finance", {"s2", "h2", "h3"}, 1, 1.0, 0, 2, id="other-process-no-generic"),
    ],
)
def test_process_specific_criteria(
    process: str,
    met: set[str],
    level: int,
    progress: float,
    met_count: int,
    applicable_count: int,
) -> None:
    """Levels 1..3; criteria are generic or belong to one process.

    level | generic | sales only | hr only
    ------+---------+------------+--------
      2   | g2      | s2         | h2
      3   | g3      |            | h3

    h3 unmet blocks hr at level 2 but does not touch sales.
    """
    result = score(PER_PROCESS, met, levels=(1, 2, 3), process=process)
    assert result.process == process
    assert result.level == level
    assert result.progress == progress
    assert result.met_count == met_count
    assert result.applicable_count == applicable_count


@pytest.mark.parametrize(
    ("process", "keys"),
    [
        pytest.param("sales", ["g2", "s2", "g3"], id="sales"),
        pytest.param("hr", ["g2", "h2", "g3", "h3"], id="hr"),
        pytest.param("finance", ["g2", "g3"], id="unknown-process"),
    ],
)
def test_applicable_keeps_generic_and_own_in_order(process: str, keys: list[str]) -> None:
    """Same model as test_process_specific_criteria.

    level | generic | sales only | hr only
    ------+---------+------------+--------
      2   | g2      | s2         | h2
      3   | g3      |            | h3
    """
    assert [x.key for x in applicable(PER_PROCESS, process)] == keys
    assert all(x.applies_to(process) for x in applicable(PER_PROCESS, process))


# --------------------------------------------------------------------------- vacuous levels

SPARSE = [c("a2", 2), c("b4", 4), c("c4", 4), c("s3", 3, process="sales")]


@pytest.mark.parametrize(
    ("process", "met", "level", "progress"),
    [
        pytest.param("hr", set(), 1, 1.0, id="nothing-met"),
        pytest.param("hr", {"a2"}, 3, 3.0, id="level3-vacuous"),
        pytest.param("hr", {"a2", "b4"}, 3, 3.5, id="level4-half"),
        pytest.param("hr", {"a2", "b4", "c4"}, 5, 5.0, id="level5-vacuous-top"),
        pytest.param("hr", {"b4", "c4"}, 1, 1.0, id="level2-blocks"),
        pytest.param("sales", {"a2", "b4", "c4"}, 2, 2.0, id="sales-own-level3-criterion"),
        pytest.param("sales", {"a2", "s3", "b4", "c4"}, 5, 5.0, id="sales-all-met"),
    ],
)
def test_level_without_criteria_passes_vacuously(
    process: str, met: set[str], level: int, progress: float
) -> None:
    """Levels 1..5; levels 3 (for hr) and 5 have no applicable criteria.

    level | generic | sales only
    ------+---------+-----------
      2   | a2      |
      3   |         | s3
      4   | b4 c4   |
      5   |         |
    """
    result = score(SPARSE, met, levels=(1, 2, 3, 4, 5), process=process)
    assert (result.level, result.progress) == (level, progress)


@pytest.mark.parametrize(
    "levels", [pytest.param((1,), id="floor-only"), pytest.param((1, 2, 3), id="1..3")]
)
def test_no_criteria_at_all_gives_top(levels: tuple[int, ...]) -> None:
    """A model without criteria: every level is passed vacuously.

    level | criteria
    ------+---------
      *   | (none)
    """
    result = score([], set(), levels=levels)
    assert result.level == levels[-1]
    assert result.progress == float(levels[-1])
    # No dimension has a criterion: none has a level (the heatmap shows "—", not the top).
    assert result.dimension_levels == dict.fromkeys(DIMENSIONS)
    assert (result.met_count, result.applicable_count) == (0, 0)
    assert result.empty_levels == levels[1:]


def test_levels_need_not_start_at_one() -> None:
    """Levels 0..2, floor 0.

    level | criteria
    ------+---------
      1   | a1
      2   | a2 b2
    """
    criteria = [c("a1", 1), c("a2", 2), c("b2", 2)]
    assert progress_score((0, 1, 2), criteria, set()) == 0.0
    assert progress_score((0, 1, 2), criteria, {"a1", "b2"}) == 1.5
    assert staged_level((0, 1, 2), criteria, {"a1", "a2", "b2"}) == 2


# --------------------------------------------------------------------------- dimensions

DIMENSIONAL = [
    c("g2", 2, GOV),
    c("p2", 2, PEO),
    c("t2", 2, TEC),
    c("g3", 3, GOV),
    c("r3", 3, PRO),
    c("t3", 3, TEC),
    c("g4", 4, GOV),
    c("p4", 4, PEO),
    c("hr4", 4, PRO, process="hr"),
]


@pytest.mark.parametrize(
    ("met", "level", "dimension_levels"),
    [
        pytest.param(set(), 1, {GOV: 1, PEO: 1, PRO: 2, TEC: 1}, id="nothing-met"),
        pytest.param(
            {"g2", "p2", "t2", "r3", "t3"},
            2,
            {GOV: 2, PEO: 3, PRO: 4, TEC: 4},
            id="mixed",
        ),
        pytest.param({"p2", "p4", "hr4"}, 1, {GOV: 1, PEO: 4, PRO: 2, TEC: 1}, id="people-only"),
        pytest.param({x.key for x in DIMENSIONAL}, 4, dict.fromkeys(DIMENSIONS, 4), id="all-met"),
    ],
)
def test_dimension_levels(met: set[str], level: int, dimension_levels: dict[str, int]) -> None:
    """Levels 1..4, scored for process "sales" (hr4 does not apply).

    level | governance | people | process    | technology
    ------+------------+--------+------------+-----------
      2   | g2         | p2     |            | t2
      3   | g3         |        | r3         | t3
      4   | g4         | p4     | hr4 (hr)   |
    """
    result = score(DIMENSIONAL, met)
    assert result.level == level
    assert result.dimension_levels == dimension_levels
    assert list(result.dimension_levels) == list(DIMENSIONS)


def test_dimension_levels_follow_given_order_and_include_empty_dimensions() -> None:
    """Dimensions passed in a custom order; "people" has no criteria at all.

    level | governance | technology
    ------+------------+-----------
      2   | g2         | t2
    """
    criteria = [c("g2", 2, GOV), c("t2", 2, TEC)]
    result = score(criteria, {"t2"}, levels=(1, 2), dimensions=(TEC, PEO, GOV))
    assert list(result.dimension_levels.items()) == [(TEC, 2), (PEO, None), (GOV, 1)]


def test_hr_dimension_level_uses_its_own_criterion() -> None:
    """Same model as test_dimension_levels, scored for "hr": hr4 blocks hr's process dimension.

    level | governance | people | process    | technology
    ------+------------+--------+------------+-----------
      2   | g2         | p2     |            | t2
      3   | g3         |        | r3         | t3
      4   | g4         | p4     | hr4 (hr)   |
    """
    result = score(DIMENSIONAL, {"r3"}, process="hr")
    assert result.dimension_levels[PRO] == 3
    assert score(DIMENSIONAL, {"r3", "hr4"}, process="hr").dimension_levels[PRO] == 4


# --------------------------------------------------------------------------- override

# computed: level 2, progress 2.5 when met = {a2, a3}
OVERRIDE_MODEL = [c("a2", 2), c("a3", 3), c("b3", 3), c("a4", 4), c("a5", 5)]
LEVELS_5 = (1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("override", "reason", "level", "progress", "overridden", "stored_reason"),
    [
        pytest.param(None, "", 2, 2.5, False, "", id="no-override"),
        pytest.param(None, "ignored", 2, 2.5, False, "", id="reason-without-override-ignored"),
        pytest.param(4, "workshop consensus", 4, 4.0, True, "workshop consensus", id="up"),
        pytest.param(1, "evidence weak", 1, 1.0, True, "evidence weak", id="down"),
        pytest.param(2, "confirmed", 2, 2.0, True, "confirmed", id="same-level-drops-share"),
        pytest.param(5, "  top  \n", 5, 5.0, True, "top", id="reason-stripped"),
    ],
)
def test_override(
    override: int | None,
    reason: str,
    level: int,
    progress: float,
    overridden: bool,
    stored_reason: str,
) -> None:
    """Levels 1..5; met = {a2, a3} computes level 2, progress 2.5.

    level | criteria | met
    ------+----------+-----
      2   | a2       | a2
      3   | a3 b3    | a3
      4   | a4       |
      5   | a5       |
    """
    result = score(
        OVERRIDE_MODEL,
        {"a2", "a3"},
        levels=LEVELS_5,
        override=override,
        override_reason=reason,
    )
    assert result.level == level
    assert result.progress == progress
    assert isinstance(result.progress, float)
    assert result.computed_level == 2
    assert result.computed_progress == 2.5
    assert result.overridden is overridden
    assert result.override_reason == stored_reason


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces"),
        pytest.param("\t\n ", id="whitespace"),
    ],
)
def test_override_without_reason_is_refused(reason: str) -> None:
    """Levels 1..5 (same model as test_override).

    level | criteria
    ------+---------
      2   | a2
      3   | a3 b3
      4   | a4
      5   | a5
    """
    with pytest.raises(OverrideReasonMissing, match="requires a reason"):
        score(OVERRIDE_MODEL, {"a2"}, levels=LEVELS_5, override=3, override_reason=reason)


def test_override_reason_missing_is_a_scoring_and_value_error() -> None:
    assert issubclass(OverrideReasonMissing, ScoringError)
    assert issubclass(ScoringError, ValueError)


# --------------------------------------------------------------------------- ambition and gap


@pytest.mark.parametrize(
    ("met", "override", "ambition", "gap", "meets"),
    [
        pytest.param({"a2"}, None, 4, 2, False, id="positive"),
        pytest.param({"a2"}, None, 2, 0, True, id="zero"),
        pytest.param({"a2", "a3", "b3", "a4"}, None, 3, -1, True, id="negative"),
        pytest.param({"a2"}, None, None, None, None, id="no-ambition"),
        pytest.param(set(), None, 1, 0, True, id="floor-ambition"),
        pytest.param({"a2"}, 4, 4, 0, True, id="override-reaches-ambition"),
        pytest.param({"a2", "a3", "b3", "a4"}, 1, 3, 2, False, id="override-below-ambition"),
        pytest.param({"a2"}, 5, None, None, None, id="override-no-ambition"),
    ],
)
def test_gap_and_meets_ambition(
    met: set[str],
    override: int | None,
    ambition: int | None,
    gap: int | None,
    meets: bool | None,
) -> None:
    """Levels 1..5; gap = ambition - effective level.

    level | criteria
    ------+---------
      2   | a2
      3   | a3 b3
      4   | a4
      5   | a5
    """
    result = score(
        OVERRIDE_MODEL,
        met,
        levels=LEVELS_5,
        override=override,
        override_reason="consensus" if override is not None else "",
        ambition=ambition,
    )
    assert result.ambition == ambition
    assert result.gap == gap
    assert result.meets_ambition is meets


# Given order deliberately not sorted by level.
ORDERED = [
    c("x3", 3),
    c("b2", 2),
    c("y3", 3, PEO),
    c("hr2", 2, process="hr"),
    c("d2", 2, TEC),
    c("s4", 4, process="sales"),
    c("z5", 5),
]


@pytest.mark.parametrize(
    ("met", "ambition", "expected"),
    [
        pytest.param(set(), None, [], id="no-ambition"),
        pytest.param(set(), 1, [], id="ambition-floor"),
        pytest.param(set(), 2, ["b2", "d2"], id="ambition-2"),
        pytest.param(set(), 3, ["b2", "d2", "x3", "y3"], id="ambition-3-level-then-given-order"),
        pytest.param({"b2"}, 4, ["d2", "x3", "y3", "s4"], id="ambition-4"),
        pytest.param({"b2", "x3", "y3"}, 3, ["d2"], id="hole-at-2-level3-met"),
        pytest.param({"b2", "d2", "x3"}, 5, ["y3", "s4", "z5"], id="partial-level-3"),
        pytest.param({"b2", "d2", "x3", "y3"}, 3, [], id="ambition-reached"),
        pytest.param({"b2", "d2", "x3", "y3"}, 2, [], id="ambition-below-level"),
        pytest.param({"b2", "d2", "x3", "y3", "s4", "z5"}, 5, [], id="all-met"),
    ],
)
def test_unmet_to_ambition(met: set[str], ambition: int | None, expected: list[str]) -> None:
    """Levels 1..5, scored for "sales" (hr2 never applies). Given order: x3 b2 y3 hr2 d2 s4 z5.

    level | generic          | sales only | hr only
    ------+------------------+------------+--------
      2   | b2 d2            |            | hr2
      3   | x3 y3            |            |
      4   |                  | s4         |
      5   | z5               |            |
    """
    result = score(ORDERED, met, levels=LEVELS_5, ambition=ambition)
    assert isinstance(result.unmet_to_ambition, tuple)
    assert [x.key for x in result.unmet_to_ambition] == expected


def test_unmet_to_ambition_ignores_override() -> None:
    """The override changes the effective level, not which criteria are still unmet.

    level | criteria
    ------+---------
      2   | a2
      3   | a3 b3
      4   | a4
      5   | a5
    """
    result = score(
        OVERRIDE_MODEL,
        {"a2"},
        levels=LEVELS_5,
        override=4,
        override_reason="consensus",
        ambition=4,
    )
    assert result.meets_ambition is True
    assert [x.key for x in result.unmet_to_ambition] == ["a3", "b3", "a4"]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"levels": ()}, "must not be empty", id="levels-empty"),
        pytest.param({"levels": (1, 3, 4)}, "consecutive", id="levels-gap"),
        pytest.param({"levels": (3, 2, 1)}, "consecutive", id="levels-descending"),
        pytest.param({"levels": (1, 1, 2)}, "consecutive", id="levels-duplicate"),
        pytest.param({"levels": (1, 2.0)}, "must be ints", id="levels-float"),
        pytest.param({"levels": (True, 2)}, "must be ints", id="levels-bool"),
        pytest.param({"criteria": [c("a1", 1)]}, "floor level", id="criterion-at-floor"),
        pytest.param({"criteria": [c("a9", 9)]}, "not one of the levels", id="criterion-above"),
        pytest.param({"criteria": [c("a0", 0)]}, "not one of the levels", id="criterion-below"),
        pytest.param(
            {"criteria": [c("f2", 2, "finance")]}, "dimension 'finance'", id="unknown-dimension"
        ),
        pytest.param(
            {"criteria": [c("h9", 9, process="hr")]},
            "not one of the levels",
            id="non-applicable-criterion-still-validated",
        ),
        pytest.param({"dimensions": (GOV, GOV)}, "unique", id="duplicate-dimensions"),
        pytest.param({"override": 0, "override_reason": "x"}, "override 0", id="override-below"),
        pytest.param({"override": 5, "override_reason": "x"}, "override 5", id="override-above"),
        pytest.param({"ambition": 0}, "ambition 0", id="ambition-below"),
        pytest.param({"ambition": 7}, "ambition 7", id="ambition-above"),
    ],
)
def test_validation_errors(kwargs: dict[str, object], message: str) -> None:
    """Defaults: levels 1..4, all four dimensions, one criterion.

    level | criteria
    ------+---------
      2   | a2
    """
    args: dict[str, object] = {
        "process": "sales",
        "levels": (1, 2, 3, 4),
        "dimensions": DIMENSIONS,
        "criteria": [c("a2", 2)],
        "met": set(),
        **kwargs,
    }
    with pytest.raises(ScoringError, match=message) as excinfo:
        score_process(**args)  # type: ignore[arg-type]
    assert not isinstance(excinfo.value, OverrideReasonMissing)


@pytest.mark.parametrize(
    ("levels", "criteria", "message"),
    [
        pytest.param((), [], "must not be empty", id="levels-empty"),
        pytest.param((2, 4), [], "consecutive", id="levels-gap"),
        pytest.param((1, 2), [c("a1", 1)], "floor level", id="criterion-at-floor"),
        pytest.param((1, 2), [c("a3", 3)], "not one of the levels", id="criterion-above"),
    ],
)
def test_staged_level_and_progress_validate(
    levels: tuple[int, ...], criteria: list[CriterionSpec], message: str
) -> None:
    """Small ad-hoc models per row (see the ids)."""
    with pytest.raises(ScoringError, match=message):
        staged_level(levels, criteria, set())
    with pytest.raises(ScoringError, match=message):
        progress_score(levels, criteria, set())


# --------------------------------------------------------------------------- properties

PROCESSES = ("p1", "p2")


@st.composite
def models(draw: st.DrawFn) -> dict[str, object]:
    """A random model: 3..6 levels, 1..4 dimensions, 0..20 criteria, a random met subset."""
    floor = draw(st.integers(min_value=0, max_value=2))
    levels = tuple(range(floor, floor + draw(st.integers(min_value=3, max_value=6))))
    dimensions = tuple(draw(st.lists(st.sampled_from(DIMENSIONS), min_size=1, unique=True)))
    n = draw(st.integers(min_value=0, max_value=20))
    criteria = [
        CriterionSpec(
            key=f"k{i}",
            level=draw(st.sampled_from(levels[1:])),
            dimension=draw(st.sampled_from(dimensions)),
            process=draw(st.sampled_from((None, *PROCESSES))),
        )
        for i in range(n)
    ]
    keys = [x.key for x in criteria] + ["unknown", "k99"]
    met = frozenset(draw(st.lists(st.sampled_from(keys), unique=True)))
    return {
        "process": draw(st.sampled_from(PROCESSES)),
        "levels": levels,
        "dimensions": dimensions,
        "criteria": criteria,
        "met": met,
    }


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(models())
def test_property_level_is_the_highest_fully_met_prefix(model: dict[str, object]) -> None:
    result = score_process(**model)  # type: ignore[arg-type]
    own = applicable(model["criteria"], model["process"])  # type: ignore[arg-type]
    met = model["met"]
    top = model["levels"][-1]  # type: ignore[index]
    assert all(x.key in met for x in own if x.level <= result.level)  # type: ignore[operator]
    if result.level < top:
        above = [x for x in own if x.level == result.level + 1]
        assert above
        assert not all(x.key in met for x in above)  # type: ignore[operator]


@FAST
@given(models(), st.data())
def test_property_adding_a_met_criterion_never_lowers_the_score(
    model: dict[str, object], data: st.DataObject
) -> None:
    criteria: list[CriterionSpec] = model["criteria"]  # type: ignore[assignment]
    met: frozenset[str] = model["met"]  # type: ignore[assignment]
    unmet = [x.key for x in criteria if x.key not in met]
    if not unmet:
        return
    extra = data.draw(st.sampled_from(unmet))
    before = score_process(**model)  # type: ignore[arg-type]
    after = score_process(**{**model, "met": met | {extra}})  # type: ignore[arg-type]
    assert after.level >= before.level
    assert after.progress >= before.progress
    assert after.met_count >= before.met_count
    for dim, level in before.dimension_levels.items():
        if level is not None:
            assert after.dimension_levels[dim] >= level


@FAST
@given(models())
def test_property_everything_met_gives_top(model: dict[str, object]) -> None:
    criteria: list[CriterionSpec] = model["criteria"]  # type: ignore[assignment]
    top = model["levels"][-1]  # type: ignore[index]
    result = score_process(**{**model, "met": {x.key for x in criteria}})  # type: ignore[arg-type]
    assert result.level == top
    assert result.progress == float(top)
    assert result.met_count == result.applicable_count
    assert set(result.dimension_levels.values()) <= {top, None}


@FAST
@given(models())
def test_property_bounds(model: dict[str, object]) -> None:
    levels: tuple[int, ...] = model["levels"]  # type: ignore[assignment]
    result = score_process(**model)  # type: ignore[arg-type]
    assert levels[0] <= result.level <= levels[-1]
    assert result.level <= result.progress < result.level + 1
    assert 0 <= result.met_count <= result.applicable_count


@FAST
@given(models())
def test_property_each_dimension_level_at_least_process_level(model: dict[str, object]) -> None:
    result = score_process(**model)  # type: ignore[arg-type]
    assert list(result.dimension_levels) == list(model["dimensions"])  # type: ignore[call-overload]
    levels = [level for level in result.dimension_levels.values() if level is not None]
    for level in levels:
        assert level >= result.level
    # The blocking criterion at level + 1 sits in some dimension, which stops exactly there.
    if result.level < model["levels"][-1]:  # type: ignore[index]
        assert min(levels) == result.level


@FAST
@given(models())
def test_property_non_applicable_met_keys_are_ignored(model: dict[str, object]) -> None:
    own_keys = {
        x.key
        for x in applicable(model["criteria"], model["process"])  # type: ignore[arg-type]
    }
    met: frozenset[str] = model["met"]  # type: ignore[assignment]
    full = score_process(**model)  # type: ignore[arg-type]
    only_own = score_process(**{**model, "met": met & own_keys})  # type: ignore[arg-type]
    assert full == only_own


@FAST
@given(models(), st.data())
def test_property_override_sets_level_and_progress(
    model: dict[str, object], data: st.DataObject
) -> None:
    levels: tuple[int, ...] = model["levels"]  # type: ignore[assignment]
    override = data.draw(st.sampled_from(levels))
    plain = score_process(**model)  # type: ignore[arg-type]
    result = score_process(**model, override=override, override_reason="consensus")  # type: ignore[arg-type]
    assert result.level == override
    assert result.progress == float(override)
    assert result.computed_level == plain.level
    assert result.computed_progress == plain.progress
    assert result.dimension_levels == plain.dimension_levels


# --------------------------------------------------------------------------- not applicable


@pytest.mark.parametrize(
    ("met", "not_applicable", "level", "progress", "counts"),
    [
        pytest.param({"a2"}, {"b2"}, 2, 2.0, (1, 7, 1), id="unmet-excluded-lifts-the-level"),
        pytest.param({"a2", "b2"}, {"b2"}, 2, 2.0, (1, 7, 1), id="met-and-excluded-is-excluded"),
        pytest.param(
            {"a2", "b2", "a3"}, {"b3", "c3"}, 2, 2.5, (3, 6, 2), id="next-level-share-of-the-rest"
        ),
        pytest.param(
            {"a2", "b2"}, LEVEL3, 4, 4.0, (2, 4, 4), id="whole-level-excluded-passes-and-is-empty"
        ),
        pytest.param(set(), {"x9"}, 1, 1.0, (0, 8, 0), id="unknown-keys-ignored"),
    ],
)
def test_not_applicable_criteria_leave_the_applicable_set(
    met: set[str],
    not_applicable: set[str],
    level: int,
    progress: float,
    counts: tuple[int, int, int],
) -> None:
    """Levels 1..4; the criteria marked not applicable for the process leave the set.

    level | criteria
    ------+-----------------
      2   | a2 b2
      3   | a3 b3 c3 d3
      4   | a4 b4
    """
    result = score(
        BASIC, met | ({"a4", "b4"} if level == 4 else set()), not_applicable=not_applicable
    )
    assert (result.level, result.progress) == (level, progress)
    assert (result.met_count, result.applicable_count, result.not_applicable_count) == (
        counts[0] + (2 if level == 4 else 0),
        counts[1],
        counts[2],
    )
    assert result.empty_levels == ((3,) if not_applicable == LEVEL3 else ())


def test_a_dimension_whose_criteria_are_all_excluded_has_no_level() -> None:
    """Levels 1..3 for "sales".

    level | governance | people
    ------+------------+-------
      2   | g2         | p2
      3   | g3         |
    """
    criteria = [c("g2", 2, GOV), c("p2", 2, PEO), c("g3", 3, GOV)]
    result = score(criteria, {"g2"}, levels=(1, 2, 3), dimensions=(GOV, PEO), not_applicable={"p2"})
    assert result.dimension_levels == {GOV: 2, PEO: None}
    assert result.level == 2


@FAST
@given(models(), st.data())
def test_property_not_applicable_is_removing_the_criterion(
    model: dict[str, object], data: st.DataObject
) -> None:
    criteria: list[CriterionSpec] = model["criteria"]  # type: ignore[assignment]
    excluded = frozenset(data.draw(st.lists(st.sampled_from([x.key for x in criteria] or ["k"]))))
    marked = score_process(**model, not_applicable=excluded)  # type: ignore[arg-type]
    removed = score_process(  # type: ignore[arg-type]
        **{**model, "criteria": [x for x in criteria if x.key not in excluded]}
    )
    assert (marked.level, marked.progress, marked.dimension_levels) == (
        removed.level,
        removed.progress,
        removed.dimension_levels,
    )
    assert marked.applicable_count == removed.applicable_count
    assert marked.met_count == removed.met_count
    assert marked.empty_levels == removed.empty_levels
    own = applicable(criteria, model["process"])  # type: ignore[arg-type]
    assert marked.not_applicable_count == sum(1 for x in own if x.key in excluded)


@FAST
@given(models(), st.data())
def test_property_excluding_a_criterion_never_lowers_the_level(
    model: dict[str, object], data: st.DataObject
) -> None:
    criteria: list[CriterionSpec] = model["criteria"]  # type: ignore[assignment]
    if not criteria:
        return
    extra = data.draw(st.sampled_from([x.key for x in criteria]))
    before = score_process(**model)  # type: ignore[arg-type]
    after = score_process(**model, not_applicable={extra})  # type: ignore[arg-type]
    assert after.level >= before.level


@FAST
@given(models())
def test_property_empty_levels_are_the_levels_without_applicable_criteria(
    model: dict[str, object],
) -> None:
    result = score_process(**model)  # type: ignore[arg-type]
    own = applicable(model["criteria"], model["process"])  # type: ignore[arg-type]
    levels: tuple[int, ...] = model["levels"]  # type: ignore[assignment]
    assert result.empty_levels == tuple(
        level for level in levels[1:] if not any(x.level == level for x in own)
    )
