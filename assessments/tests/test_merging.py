"""Three-way merge of two people's edits (pure: no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.merging import Conflict, merge


@pytest.mark.parametrize(
    ("base", "theirs", "mine", "merged", "conflicts"),
    [
        pytest.param("a", "a", "a", "a", [], id="nobody-changed"),
        pytest.param("a", "b", "a", "b", [], id="they-changed"),
        pytest.param("a", "a", "c", "c", [], id="i-changed"),
        pytest.param("a", "b", "b", "b", [], id="both-changed-alike"),
        pytest.param("a", "b", "c", "c", [Conflict("f", "a", "b", "c")], id="both-changed-apart"),
        pytest.param(None, 3, None, 3, [], id="they-set-a-level"),
    ],
)
def test_plain_values(base, theirs, mine, merged, conflicts):
    result, found = merge({"f": base}, {"f": theirs}, {"f": mine})
    assert result == {"f": merged}
    assert found == conflicts


def test_sets_merge_per_element():
    """A ticked 1 and 2 (stored); B, still on the base, ticked 4 and unticked 3."""
    result, conflicts = merge({"c": {3}}, {"c": {1, 2, 3}}, {"c": {4}})
    assert result == {"c": {1, 2, 4}}
    assert conflicts == []


def test_mappings_merge_per_key_and_ask_only_for_the_same_key():
    base = {"na": {1: "old"}}
    theirs = {"na": {1: "old", 2: "theirs"}}
    mine = {"na": {1: "mine", 3: "mine"}}
    result, conflicts = merge(base, theirs, mine)
    assert result == {"na": {1: "mine", 2: "theirs", 3: "mine"}}
    assert conflicts == []
    result, conflicts = merge({"na": {1: "old"}}, {"na": {}}, {"na": {1: "mine"}})
    assert conflicts == [Conflict("na", "old", None, "mine", 1)]


def test_keep_mine_resolves_a_seen_conflict():
    result, conflicts = merge({"f": 1}, {"f": 2}, {"f": 3}, keep_mine={"f"})
    assert (result, conflicts) == ({"f": 3}, [])


def test_untouched_fields_keep_theirs_beside_a_change_of_mine():
    """B types notes while A ticked a criterion and set the ambition: both kept."""
    base = {"notes": "", "ambition": None, "criteria": frozenset()}
    theirs = {"notes": "", "ambition": 3, "criteria": frozenset({7})}
    mine = {"notes": "Pilot on LinkedIn", "ambition": None, "criteria": frozenset()}
    result, conflicts = merge(base, theirs, mine)
    assert result == {"notes": "Pilot on LinkedIn", "ambition": 3, "criteria": frozenset({7})}
    assert conflicts == []


values = st.one_of(st.none(), st.integers(0, 3))
sets = st.frozensets(st.integers(0, 5))


@given(values, values, values, sets, sets, sets)
def test_property_merge(base, theirs, mine, base_set, their_set, my_set):
    result, conflicts = merge(
        {"v": base, "s": base_set}, {"v": theirs, "s": their_set}, {"v": mine, "s": my_set}
    )
    # A side that did not change never overrides the other; sets never conflict.
    if mine == base:
        assert result["v"] == theirs
        assert not conflicts
    if theirs == base:
        assert result["v"] == mine
        assert not conflicts
    assert bool(conflicts) == (mine != base and theirs != base and mine != theirs)
    # Per element: my change wins where I changed it, theirs everywhere else.
    for element in range(6):
        mine_changed = (element in my_set) != (element in base_set)
        expected = element in (my_set if mine_changed else their_set)
        assert (element in result["s"]) == expected
    # Merging with nothing new of mine is theirs; merging onto an unchanged store is mine.
    assert merge({"s": base_set}, {"s": their_set}, {"s": base_set})[0] == {"s": their_set}
    assert merge({"s": base_set}, {"s": base_set}, {"s": my_set})[0] == {"s": my_set}
