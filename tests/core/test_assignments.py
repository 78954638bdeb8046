"""The assignment generator: exact k per entry, balanced loads, conflicts respected, connected."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring.core.assignments import (
    DISCONNECTED,
    NO_ENTRIES,
    NO_JUDGES,
    TOO_FEW_JUDGES,
    UNBALANCED,
    AssignmentImpossible,
    AssignmentPlan,
    balanced_assignment,
    connected_groups,
    full_assignment,
    is_connected,
)


@st.composite
def contests(draw: st.DrawFn, max_entries: int = 14, max_judges: int = 7) -> dict:
    """Entries and judges with home regions, a few declared conflicts, and a k."""
    n_regions = draw(st.integers(1, 6))
    n_entries = draw(st.integers(1, max_entries))
    n_judges = draw(st.integers(1, max_judges))
    entry_region = np.array(
        draw(st.lists(st.integers(0, n_regions - 1), min_size=n_entries, max_size=n_entries))
    )
    # A judge may come from outside the contest's regions (-1): no home conflict at all.
    judge_region = np.array(
        draw(st.lists(st.integers(-1, n_regions - 1), min_size=n_judges, max_size=n_judges))
    )
    pairs = st.tuples(st.integers(0, n_entries - 1), st.integers(0, n_judges - 1))
    declared = draw(st.lists(pairs, max_size=4, unique=True))
    k = draw(st.integers(1, max(1, min(4, n_judges))))
    allowed = entry_region[:, None] != judge_region[None, :]
    for e, j in declared:
        allowed[e, j] = False
    return {
        "allowed": allowed,
        "entry_region": entry_region,
        "judge_region": judge_region,
        "declared": declared,
        "k": k,
        "seed": draw(st.integers(0, 2**16)),
    }


def _check_plan(plan: AssignmentPlan, case: dict) -> None:
    matrix = plan.matrix
    k = case["k"]
    assert matrix.shape == case["allowed"].shape
    # Never an entry from the judge's home region, never a declared conflict.
    entries, judges = np.nonzero(matrix)
    assert not np.any(case["entry_region"][entries] == case["judge_region"][judges])
    for e, j in case["declared"]:
        assert not matrix[e, j]
    assert np.all(matrix <= case["allowed"])
    # Every entry exactly k judges; loads differ by at most one.
    assert np.all(matrix.sum(axis=1) == k)
    loads = matrix.sum(axis=0)
    assert loads.max() - loads.min() <= 1
    # One connected graph, so judge severities are comparable.
    assert is_connected(matrix)


@settings(max_examples=300, deadline=None)
@given(contests())
def test_generated_assignments_keep_every_rule(case: dict) -> None:
    result = balanced_assignment(case["allowed"], case["k"], seed=case["seed"])
    if isinstance(result, AssignmentPlan):
        _check_plan(result, case)
        return
    allowed, k = case["allowed"], case["k"]
    counts = allowed.sum(axis=1)
    assert result.entries, "an impossible case must name the entries it cannot cover"
    assert result.allowed_counts == tuple(int(counts[e]) for e in result.entries)
    if result.reason == TOO_FEW_JUDGES:
        # Exactly the entries with fewer than k judges free of conflicts.
        assert set(result.entries) == set(np.flatnonzero(counts < k).tolist())
    else:
        assert np.all(counts >= k)
        assert result.reason in (UNBALANCED, DISCONNECTED)


def _balanced_exists(allowed: np.ndarray, k: int, connected: bool) -> bool:
    """Brute force over every choice of k allowed judges per entry (tiny cases only)."""
    options = [list(itertools.combinations(np.flatnonzero(row).tolist(), k)) for row in allowed]
    for choice in itertools.product(*options):
        matrix = np.zeros_like(allowed)
        for e, judges in enumerate(choice):
            matrix[e, list(judges)] = True
        loads = matrix.sum(axis=0)
        if loads.max() - loads.min() <= 1 and (not connected or is_connected(matrix)):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(contests(max_entries=4, max_judges=4))
def test_impossible_means_impossible(case: dict) -> None:
    """Checked against brute force: "unbalanced" only when no balanced design exists at all."""
    allowed, k = case["allowed"], case["k"]
    result = balanced_assignment(allowed, k, seed=case["seed"])
    if isinstance(result, AssignmentPlan):
        assert _balanced_exists(allowed, k, connected=True)
    elif result.reason == UNBALANCED:
        assert not _balanced_exists(allowed, k, connected=False)
    elif result.reason == DISCONNECTED:
        assert not _balanced_exists(allowed, k, connected=True)


@settings(max_examples=200, deadline=None)
@given(
    n_entries=st.integers(1, 40),
    n_judges=st.integers(1, 9),
    k=st.integers(2, 5),
    seed=st.integers(0, 1000),
)
def test_without_conflicts_a_connected_design_always_exists(
    n_entries: int, n_judges: int, k: int, seed: int
) -> None:
    # Connected needs edges ≥ nodes − 1: E·k ≥ E + m − 1.
    assume(k <= n_judges and n_entries * (k - 1) >= n_judges - 1)
    allowed = np.ones((n_entries, n_judges), dtype=bool)
    result = balanced_assignment(allowed, k, seed=seed)
    assert isinstance(result, AssignmentPlan), result
    assert np.all(result.matrix.sum(axis=1) == k)
    assert np.ptp(result.loads) <= 1
    assert is_connected(result.matrix)


def test_jambi_with_home_regions() -> None:
    """11 kabupaten/kota, 5 judges from 15.71, 15.01, 15.08, 15.05, 15.04, three per entry."""
    entry_region = np.arange(11)
    judge_region = np.array([9, 0, 7, 4, 3])
    allowed = entry_region[:, None] != judge_region[None, :]
    plan = balanced_assignment(allowed, 3, seed=2025)
    assert isinstance(plan, AssignmentPlan)
    assert sorted(plan.loads.tolist()) == [6, 6, 7, 7, 7]  # 33 sheets over 5 judges
    assert not np.any(plan.matrix & ~allowed)


def test_same_seed_same_design_other_seed_other_design() -> None:
    allowed = np.ones((12, 6), dtype=bool)
    first = balanced_assignment(allowed, 3, seed=7)
    again = balanced_assignment(allowed, 3, seed=7)
    assert isinstance(first, AssignmentPlan) and isinstance(again, AssignmentPlan)
    assert np.array_equal(first.matrix, again.matrix)
    others = [balanced_assignment(allowed, 3, seed=s) for s in range(8, 14)]
    assert any(not np.array_equal(first.matrix, o.matrix) for o in others)  # type: ignore[union-attr]


def test_entries_with_too_few_judges_are_named() -> None:
    allowed = np.ones((4, 3), dtype=bool)
    allowed[2, :2] = False  # entry 2: only judge 2 is free of conflicts
    result = balanced_assignment(allowed, 2)
    assert isinstance(result, AssignmentImpossible)
    assert result.reason == TOO_FEW_JUDGES
    assert result.entries == (2,) and result.allowed_counts == (1,) and result.needed == 2


def test_loads_that_cannot_be_balanced_are_reported() -> None:
    # Judge 0 may score only entry 0, but a balanced design needs 8·2/4 = 4 entries each.
    allowed = np.ones((8, 4), dtype=bool)
    allowed[1:, 0] = False
    result = balanced_assignment(allowed, 2)
    assert isinstance(result, AssignmentImpossible)
    assert result.reason == UNBALANCED
    assert result.judges == (0,)
    assert result.entries


def test_a_design_that_must_fall_apart_is_reported() -> None:
    # Two entries, four judges, k = 2: each judge takes one entry, two separate pairs.
    result = balanced_assignment(np.ones((2, 4), dtype=bool), 2)
    assert isinstance(result, AssignmentImpossible)
    assert result.reason == DISCONNECTED
    assert len(result.groups) == 2


def test_k_one_with_several_judges_cannot_connect() -> None:
    result = balanced_assignment(np.ones((6, 3), dtype=bool), 1)
    assert isinstance(result, AssignmentImpossible) and result.reason == DISCONNECTED


def test_no_entries_or_no_judges() -> None:
    empty = balanced_assignment(np.ones((0, 3), dtype=bool), 2)
    assert isinstance(empty, AssignmentImpossible) and empty.reason == NO_ENTRIES
    nobody = balanced_assignment(np.ones((3, 0), dtype=bool), 2)
    assert isinstance(nobody, AssignmentImpossible) and nobody.reason == NO_JUDGES
    assert nobody.entries == (0, 1, 2)
    with pytest.raises(ValueError):
        balanced_assignment(np.ones((3, 3), dtype=bool), 0)


def test_every_judge_scores_every_allowed_entry() -> None:
    allowed = np.ones((5, 3), dtype=bool)
    allowed[0, 1] = False
    plan = full_assignment(allowed)
    assert isinstance(plan, AssignmentPlan)
    assert np.array_equal(plan.matrix, allowed)
    allowed[4, :] = False
    problem = full_assignment(allowed)
    assert isinstance(problem, AssignmentImpossible)
    assert problem.reason == TOO_FEW_JUDGES and problem.entries == (4,)


def test_connected_groups_ignore_idle_judges() -> None:
    matrix = np.array([[1, 0, 0], [1, 0, 0]], dtype=bool)
    assert connected_groups(matrix) == [((0, 1), (0,))]
    split = np.array([[1, 0], [0, 1]], dtype=bool)
    assert connected_groups(split) == [((0,), (0,)), ((1,), (1,))]
