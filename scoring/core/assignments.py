"""Who judges which entry: a balanced incomplete assignment under conflicts of interest.

Input is a boolean ``allowed`` matrix, entries (rows) × judges (columns): False where a judge may
not score an entry (home region, a declared conflict). Output is a boolean assignment matrix of
the same shape, or an ``AssignmentImpossible`` that names the entries which cannot be covered.

The balanced design (each entry exactly ``k`` judges, judge loads ``q`` or ``q + 1`` with
``q = ⌊E·k / m⌋``) is a bipartite b-matching with lower bounds, solved exactly as one maximum
flow (Ahuja, Magnanti & Orlin, *Network Flows*, 1993, §6.7 "flows with lower bounds"):

    source →(k) entry →(1, if allowed) judge →(q) sink
                                        judge →(1) X →(r) sink,     r = E·k − m·q

A flow of value ``E·k`` saturates every ``judge → sink`` edge (every judge gets at least ``q``)
and the ``X → sink`` edge (exactly ``r`` judges get one more), so it exists if and only if a
balanced assignment does. When it does not, the entries on the source side of a minimum cut are
the ones the allowed judges cannot absorb (König–Hall: a set of entries with too few judges).

Judge severity can only be estimated when the entry–judge graph is connected (Wright & Masters,
*Rating Scale Analysis*, 1982: "linked" designs), so the flow is followed by a repair that swaps
edge pairs between components; a swap keeps every entry's and judge's degree, and merges the
two components whenever one of the two edges lies on a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

# Reasons an assignment cannot be made (AssignmentImpossible.reason).
NO_ENTRIES = "no_entries"
NO_JUDGES = "no_judges"
TOO_FEW_JUDGES = "too_few_judges"  # some entries have fewer than k judges without a conflict
UNBALANCED = "unbalanced"  # enough judges per entry, but not with loads differing by ≤ 1
DISCONNECTED = "disconnected"  # every way found leaves the entry–judge graph in pieces

FLOW_ATTEMPTS = 8  # different judge orders tried before connectivity is declared impossible


@dataclass(frozen=True)
class AssignmentPlan:
    """A feasible assignment: ``matrix[e, j]`` is True when judge j scores entry e."""

    matrix: np.ndarray
    seed: int

    @property
    def loads(self) -> np.ndarray:
        """Entries per judge."""
        return self.matrix.sum(axis=0)


@dataclass(frozen=True)
class AssignmentImpossible:
    """Why no assignment exists, with the entries (row indices) that cannot be covered.

    ``allowed_counts[i]`` is how many judges may score ``entries[i]``; ``judges`` lists judges
    that cannot reach the minimum balanced load (``UNBALANCED``) or, for ``DISCONNECTED``, the
    judges outside the largest connected group.
    """

    reason: str
    entries: tuple[int, ...] = ()
    allowed_counts: tuple[int, ...] = ()
    judges: tuple[int, ...] = ()
    needed: int = 0
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)


def balanced_assignment(
    allowed: np.ndarray, k: int, seed: int = 0
) -> AssignmentPlan | AssignmentImpossible:
    """Each entry gets exactly ``k`` allowed judges, loads differ by at most one, connected.

    Deterministic for a given ``seed``: the seed only permutes the order in which the flow
    visits entries and judges, so different seeds give different, equally valid designs.
    """
    allowed = _as_bool_matrix(allowed)
    n_entries, n_judges = allowed.shape
    if k < 1:
        raise ValueError("k must be at least 1")
    problem = _basic_problem(allowed, k)
    if problem is not None:
        return problem
    rng = np.random.default_rng(seed)
    last_groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for _attempt in range(FLOW_ATTEMPTS):
        entry_order = rng.permutation(n_entries)
        judge_order = rng.permutation(n_judges)
        flow = _balanced_flow(allowed[np.ix_(entry_order, judge_order)], k)
        if isinstance(flow, AssignmentImpossible):
            return _unpermute(flow, entry_order, judge_order, allowed, k)
        matrix = np.zeros_like(allowed)
        matrix[np.ix_(entry_order, judge_order)] = flow
        if _repair_connectivity(matrix, allowed, rng):
            return AssignmentPlan(matrix, seed)
        last_groups = connected_groups(matrix)
    return _disconnected(last_groups, allowed, k)


def full_assignment(allowed: np.ndarray) -> AssignmentPlan | AssignmentImpossible:
    """Every judge scores every entry they are allowed to ("semua juri menilai semua peserta")."""
    allowed = _as_bool_matrix(allowed)
    problem = _basic_problem(allowed, 1)
    if problem is not None:
        return problem
    matrix = allowed.copy()
    groups = connected_groups(matrix)
    if len(groups) > 1:
        return _disconnected(groups, allowed, 1)
    return AssignmentPlan(matrix, 0)


def connected_groups(matrix: np.ndarray) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Connected groups of the entry–judge graph as ``(entries, judges)``, largest first.

    Judges without any entry are left out: they do not affect comparability.
    """
    matrix = _as_bool_matrix(matrix)
    n_entries, _ = matrix.shape
    used = np.flatnonzero(matrix.any(axis=0))
    sub = matrix[:, used]
    _, labels = _components(sub)
    groups = []
    for label in np.unique(labels):
        entries = tuple(int(i) for i in np.flatnonzero(labels[:n_entries] == label))
        judges = tuple(int(used[j]) for j in np.flatnonzero(labels[n_entries:] == label))
        groups.append((entries, judges))
    groups.sort(key=lambda g: (-(len(g[0]) + len(g[1])), g[0][:1], g[1][:1]))
    return groups


def is_connected(matrix: np.ndarray) -> bool:
    """True when every entry and every judge with an entry form one connected graph."""
    return len(connected_groups(matrix)) <= 1


# --- internals ----------------------------------------------------------------------------


def _as_bool_matrix(values: np.ndarray) -> np.ndarray:
    matrix = np.asarray(values, dtype=bool)
    if matrix.ndim != 2:
        raise ValueError("expected an entries × judges matrix")
    return matrix


def _basic_problem(allowed: np.ndarray, k: int) -> AssignmentImpossible | None:
    n_entries, n_judges = allowed.shape
    if n_entries == 0:
        return AssignmentImpossible(NO_ENTRIES, needed=k)
    if n_judges == 0:
        return AssignmentImpossible(
            NO_JUDGES,
            entries=tuple(range(n_entries)),
            allowed_counts=(0,) * n_entries,
            needed=k,
        )
    counts = allowed.sum(axis=1)
    short = np.flatnonzero(counts < k)
    if short.size:
        return AssignmentImpossible(
            TOO_FEW_JUDGES,
            entries=tuple(int(i) for i in short),
            allowed_counts=tuple(int(counts[i]) for i in short),
            needed=k,
        )
    return None


def _balanced_flow(allowed: np.ndarray, k: int) -> np.ndarray | AssignmentImpossible:
    """The flow network of the module docstring; returns the assignment or the cut's entries."""
    n_entries, n_judges = allowed.shape
    total = n_entries * k
    q, r = divmod(total, n_judges)
    source, extra, sink = 0, 1 + n_entries + n_judges, 2 + n_entries + n_judges
    entry_node = 1 + np.arange(n_entries)
    judge_node = 1 + n_entries + np.arange(n_judges)
    rows: list[np.ndarray] = [np.full(n_entries, source)]
    cols: list[np.ndarray] = [entry_node]
    caps: list[np.ndarray] = [np.full(n_entries, k)]
    e_idx, j_idx = np.nonzero(allowed)
    rows.append(entry_node[e_idx])
    cols.append(judge_node[j_idx])
    caps.append(np.ones(e_idx.size, dtype=int))
    if q > 0:
        rows.append(judge_node)
        cols.append(np.full(n_judges, sink))
        caps.append(np.full(n_judges, q))
    if r > 0:
        rows += [judge_node, np.array([extra])]
        cols += [np.full(n_judges, extra), np.array([sink])]
        caps += [np.ones(n_judges, dtype=int), np.array([r])]
    size = sink + 1
    capacity = csr_matrix(
        (np.concatenate(caps).astype(np.int32), (np.concatenate(rows), np.concatenate(cols))),
        shape=(size, size),
    )
    result = maximum_flow(capacity, source, sink, method="dinic")
    flow = result.flow.toarray()
    if result.flow_value == total:
        return flow[np.ix_(entry_node, judge_node)] > 0
    # Minimum cut: what the source still reaches in the residual graph.
    residual = capacity.toarray() - flow
    reach = breadth_first_order(csr_matrix(residual > 0), source, return_predecessors=False)
    reached = np.zeros(size, dtype=bool)
    reached[reach] = True
    # A short flow leaves some source → entry edge unsaturated, so `entries` is never empty.
    entries = np.flatnonzero(reached[entry_node])
    low = np.flatnonzero(allowed.sum(axis=0) < q)  # judges who cannot reach the minimum load
    return AssignmentImpossible(
        UNBALANCED,
        entries=tuple(int(i) for i in entries),
        allowed_counts=tuple(int(allowed[i].sum()) for i in entries),
        judges=tuple(int(j) for j in low),
        needed=k,
    )


def _unpermute(
    problem: AssignmentImpossible,
    entry_order: np.ndarray,
    judge_order: np.ndarray,
    allowed: np.ndarray,
    k: int,
) -> AssignmentImpossible:
    entries = sorted(int(entry_order[i]) for i in problem.entries)
    return AssignmentImpossible(
        problem.reason,
        entries=tuple(entries),
        allowed_counts=tuple(int(allowed[i].sum()) for i in entries),
        judges=tuple(sorted(int(judge_order[j]) for j in problem.judges)),
        needed=k,
    )


def _disconnected(
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]], allowed: np.ndarray, k: int
) -> AssignmentImpossible:
    outside = groups[1:]
    entries = sorted(e for group_entries, _ in outside for e in group_entries)
    return AssignmentImpossible(
        DISCONNECTED,
        entries=tuple(entries),
        allowed_counts=tuple(int(allowed[i].sum()) for i in entries),
        judges=tuple(sorted(j for _, group_judges in outside for j in group_judges)),
        needed=k,
        groups=groups,
    )


def _components(matrix: np.ndarray) -> tuple[int, np.ndarray]:
    """Connected components of the bipartite graph: entries are nodes 0..E-1, judges E.."""
    n_entries, n_judges = matrix.shape
    e_idx, j_idx = np.nonzero(matrix)
    size = n_entries + n_judges
    graph = csr_matrix(
        (np.ones(e_idx.size, dtype=np.int8), (e_idx, n_entries + j_idx)), shape=(size, size)
    )
    return connected_components(graph, directed=False)


def _bridges(matrix: np.ndarray) -> set[tuple[int, int]]:
    """Edges (entry, judge) whose removal splits their component (Tarjan, iterative)."""
    n_entries, n_judges = matrix.shape
    size = n_entries + n_judges
    neighbours: list[list[int]] = [[] for _ in range(size)]
    for e, j in zip(*np.nonzero(matrix), strict=True):
        neighbours[e].append(n_entries + j)
        neighbours[n_entries + j].append(e)
    order = [-1] * size
    low = [0] * size
    bridges: set[tuple[int, int]] = set()
    counter = 0
    for root in range(size):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(neighbours[root]))]
        while stack:
            node, parent, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if parent != -1:
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        a, b = sorted((parent, node))
                        bridges.add((a, b - n_entries))
                continue
            if child == parent:
                continue
            if order[child] == -1:
                order[child] = low[child] = counter
                counter += 1
                stack.append((child, node, iter(neighbours[child])))
            else:
                low[node] = min(low[node], order[child])
    return bridges


def _repair_connectivity(matrix: np.ndarray, allowed: np.ndarray, rng: np.random.Generator) -> bool:
    """Swap edge pairs across components until connected; True when it worked (in place).

    Swapping (e1, j1), (e2, j2) for (e1, j2), (e2, j1) keeps all degrees. With the two edges in
    different components it merges them when at least one of the edges is not a bridge.
    """
    n_entries = matrix.shape[0]
    while True:
        used = np.flatnonzero(matrix.any(axis=0))
        n_components, labels = _components(matrix[:, used])
        if n_components <= 1:
            return True
        entry_label = labels[:n_entries]
        edges = np.argwhere(matrix)
        bridges = _bridges(matrix)
        cycle_edges = [i for i, (e, j) in enumerate(edges) if (int(e), int(j)) not in bridges]
        merged = False
        for a in rng.permutation(cycle_edges) if cycle_edges else []:
            e1, j1 = edges[a]
            e2s, j2s = edges[:, 0], edges[:, 1]
            ok = (entry_label[e2s] != entry_label[e1]) & allowed[e1, j2s] & allowed[e2s, j1]
            candidates = np.flatnonzero(ok)
            if candidates.size == 0:
                continue
            e2, j2 = edges[rng.choice(candidates)]
            matrix[e1, j1] = matrix[e2, j2] = False
            matrix[e1, j2] = matrix[e2, j1] = True
            merged = True
            break
        if not merged:
            return False
