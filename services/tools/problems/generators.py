"""Seeded generators for large and random tests, so big inputs are never stored in the repository.

A test in the bank says `generate: {fn: NAME, seed: S, ...keyword arguments}`; `generate_args` calls
`NAME(random.Random(S), **kwargs)`, which returns the full list of the function's arguments. The
same seed always gives the same input (Python's `random` is stable for a given seed).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from typing import Any

from services.tools.problems.models import GeneratorSpec
from services.tools.problems.structures import TreeNode, prepai_tree_level_order

Generator = Callable[..., list[Any]]
GENERATORS: dict[str, Generator] = {}


def generator(function: Generator) -> Generator:
    GENERATORS[function.__name__] = function
    return function


def generate_args(spec: GeneratorSpec) -> list[Any]:
    function = GENERATORS.get(spec.fn)
    if function is None:
        raise ValueError(f"unknown generator {spec.fn!r}")
    return function(random.Random(spec.seed), **spec.params)


# --- arrays and strings -------------------------------------------------------------------------


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(n)]


@generator
def int_array(rng: random.Random, n: int, lo: int, hi: int, then: list[Any] | None = None) -> list[Any]:
    """A random array, followed by the fixed arguments in `then`."""
    return [_ints(rng, n, lo, hi), *(then or [])]


@generator
def int_arrays(rng: random.Random, count: int, n: int, lo: int, hi: int) -> list[Any]:
    """`count` random arrays of the same length, one argument each."""
    return [_ints(rng, n, lo, hi) for _ in range(count)]


@generator
def sorted_int_array(
    rng: random.Random, n: int, lo: int, hi: int, then: list[Any] | None = None
) -> list[Any]:
    return [sorted(_ints(rng, n, lo, hi)), *(then or [])]


@generator
def distinct_int_array(
    rng: random.Random, n: int, lo: int, hi: int, then: list[Any] | None = None
) -> list[Any]:
    return [rng.sample(range(lo, hi + 1), n), *(then or [])]


@generator
def letters(
    rng: random.Random, n: int, alphabet: str = string.ascii_lowercase, then: list[Any] | None = None
) -> list[Any]:
    return ["".join(rng.choice(alphabet) for _ in range(n)), *(then or [])]


@generator
def unique_pair_sum(rng: random.Random, n: int) -> list[Any]:
    """Exactly one pair sums to the target, and it sits near the end of the array.

    Fillers are distinct multiples of 4 and the two special values are 1 mod 4, so only the
    special pair can reach a target that is 2 mod 4.
    """
    fillers = [4 * value for value in rng.sample(range(-250_000_000, 250_000_000), n - 2)]
    first, second = (
        4 * rng.randint(-100_000_000, 100_000_000) + 1,
        4 * rng.randint(-100_000_000, 100_000_000) + 1,
    )
    first_at = rng.randint(n - 1 - n // 20, n - 2)
    second_at = rng.randint(first_at + 1, n - 1)
    nums = [*fillers[:first_at], first, *fillers[first_at : second_at - 1], second, *fillers[second_at - 1 :]]
    return [nums, first + second]


@generator
def nested_brackets(rng: random.Random, depth: int) -> list[Any]:
    """Fully nested brackets: opening ones of random kinds, then the matching closers."""
    openers = [rng.choice("([{") for _ in range(depth)]
    closers = {"(": ")", "[": "]", "{": "}"}
    return ["".join(openers) + "".join(closers[char] for char in reversed(openers))]


@generator
def random_brackets(rng: random.Random, pairs: int, corrupt: bool = False) -> list[Any]:
    """A random balanced bracket string; `corrupt` swaps one character for a wrong closer."""
    closers = {"(": ")", "[": "]", "{": "}"}
    chars: list[str] = []
    stack: list[str] = []
    opened = 0
    while opened < pairs or stack:
        if opened < pairs and (not stack or rng.random() < 0.55):
            opener = rng.choice("([{")
            chars.append(opener)
            stack.append(opener)
            opened += 1
        else:
            chars.append(closers[stack.pop()])
    if corrupt:
        position = rng.randrange(len(chars))
        chars[position] = rng.choice([c for c in ")]}" if c != chars[position]])
    return ["".join(chars)]


@generator
def unique_letter_last(rng: random.Random, n: int) -> list[Any]:
    """Every letter repeats except one 'z' at the very end."""
    half = [rng.choice("abcdefghijklmnopqrstuvwxy") for _ in range(n // 2)]
    body = half + half
    rng.shuffle(body)
    return ["".join(body) + "z"]


@generator
def anagram_pair(rng: random.Random, n: int, equal: bool = True) -> list[Any]:
    first = [rng.choice(string.ascii_lowercase) for _ in range(n)]
    second = list(first)
    rng.shuffle(second)
    if not equal:
        position = rng.randrange(n)
        second[position] = "a" if second[position] != "a" else "b"
    return ["".join(first), "".join(second)]


@generator
def majority_late(rng: random.Random, n: int) -> list[Any]:
    """A strict majority value whose copies all come after every other value."""
    majority_count = n // 2 + 1
    others = rng.sample(range(-1_000_000_000, 1_000_000_000), n - majority_count + 1)
    winner = others.pop()
    return [others + [winner] * majority_count]


@generator
def backspace_heavy(rng: random.Random, n: int) -> list[Any]:
    """Two long strings that are typed letters followed by as many backspaces, plus a tail."""
    typed = "".join(rng.choice(string.ascii_lowercase) for _ in range(n))
    tail = "".join(rng.choice(string.ascii_lowercase) for _ in range(5))
    return [typed + "#" * n + tail, tail[:2] + "x#" + tail[2:]]


@generator
def window_cover_late(rng: random.Random, n: int) -> list[Any]:
    """A pattern whose rare letter only appears near the end of the text."""
    text = [rng.choice("abcdefghijklmnopqrstuvwxy") for _ in range(n)]
    text[n - 1 - rng.randrange(50)] = "z"
    return ["".join(text), "zab" + rng.choice("cdefg")]


@generator
def alien_words(rng: random.Random, n: int, min_length: int, max_length: int) -> list[Any]:
    """Random words sorted by a secret alphabet (a random order of the 26 letters)."""
    alphabet = list(string.ascii_lowercase)
    rng.shuffle(alphabet)
    rank = {letter: position for position, letter in enumerate(alphabet)}
    words = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(min_length, max_length))) for _ in range(n)
    ]
    words.sort(key=lambda word: [rank[letter] for letter in word])
    return [words]


# --- structured numeric inputs ------------------------------------------------------------------


@generator
def sorted_lists(rng: random.Random, sizes: list[int], lo: int, hi: int) -> list[Any]:
    """Several sorted lists (one argument each), e.g. two linked lists to merge."""
    return [sorted(_ints(rng, size, lo, hi)) for size in sizes]


@generator
def k_sorted_lists(rng: random.Random, k: int, size: int, lo: int, hi: int) -> list[Any]:
    """One argument: k sorted lists of about `size` values each (some may be empty)."""
    return [[sorted(_ints(rng, rng.randint(0, 2 * size), lo, hi)) for _ in range(k)]]


@generator
def palindrome_values(rng: random.Random, n: int, lo: int, hi: int, broken: bool = False) -> list[Any]:
    half = _ints(rng, n // 2, lo, hi)
    middle = _ints(rng, n % 2, lo, hi)
    values = half + middle + half[::-1]
    if broken:
        values[n // 2 + rng.randrange(n // 2)] = hi + 1
    return [values]


@generator
def range_queries(rng: random.Random, n: int, q: int, lo: int, hi: int) -> list[Any]:
    """Values and [left, right] queries that mostly span a large part of the array."""
    values = _ints(rng, n, lo, hi)
    queries = []
    for _ in range(q):
        left = rng.randint(0, n // 4)
        queries.append([left, rng.randint(max(left, 3 * n // 4), n - 1)])
    return [values, queries]


@generator
def sorted_with_queries(rng: random.Random, n: int, q: int, lo: int, hi: int) -> list[Any]:
    return [sorted(_ints(rng, n, lo, hi)), _ints(rng, q, lo - 10, hi + 10)]


@generator
def sorted_with_budget(rng: random.Random, n: int, lo: int, hi: int) -> list[Any]:
    values = sorted(_ints(rng, n, lo, hi))
    return [values, rng.randint(2 * lo, 2 * hi)]


@generator
def disjoint_intervals(rng: random.Random, n: int, overlap: bool = False) -> list[Any]:
    """Shuffled half-open meetings that never overlap (touching allowed), optionally one clash."""
    cuts = sorted(rng.sample(range(0, 20 * n), 2 * n))
    intervals = [[cuts[2 * i], cuts[2 * i + 1]] for i in range(n)]
    for i in range(0, n - 1, 3):
        intervals[i][1] = intervals[i + 1][0]
    if overlap:
        i = rng.randrange(n - 1)
        intervals[i][1] = intervals[i + 1][0] + 1
    rng.shuffle(intervals)
    return [intervals]


@generator
def random_intervals(rng: random.Random, n: int, lo: int, hi: int, max_length: int) -> list[Any]:
    intervals = []
    for _ in range(n):
        start = rng.randint(lo, hi - 1)
        intervals.append([start, min(hi, start + rng.randint(1, max_length))])
    return [intervals]


@generator
def decreasing_then_peak(rng: random.Random, n: int) -> list[Any]:
    """Temperatures that only fall until a final heat wave: every day waits for the last one."""
    temps = sorted(_ints(rng, n - 1, -50, 49), reverse=True)
    return [[*temps, 50]]


@generator
def late_circuit(rng: random.Random, n: int) -> list[Any]:
    """Fuel and cost where only the last station can start the loop and others fail late."""
    gains = [rng.randint(1, 3) for _ in range(n)]
    gains[n - 2] = -(sum(gains) - gains[n - 2])
    fuel = [rng.randint(max(0, gain), 10_000) for gain in gains]
    fuel[n - 2] = rng.randint(0, 10_000)
    cost = [f - g for f, g in zip(fuel, gains, strict=True)]
    return [fuel, cost]


# --- graphs and grids ---------------------------------------------------------------------------


@generator
def random_dag(rng: random.Random, n: int, m: int, cycle: bool = False) -> list[Any]:
    """n tasks and m distinct [before, after] pairs following a hidden random order."""
    order = list(range(n))
    rng.shuffle(order)
    edges: set[tuple[int, int]] = set()
    while len(edges) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            edges.add((order[min(a, b)], order[max(a, b)]))
    if cycle:
        # A back edge from the last task in the hidden order to the first, plus a forward path.
        first, middle, last = order[0], order[n // 2], order[n - 1]
        edges.update({(first, middle), (middle, last), (last, first)})
    pairs = [list(edge) for edge in sorted(edges)]  # sorted: set order must not leak into the test
    rng.shuffle(pairs)
    return [n, pairs]


@generator
def chain_dag(rng: random.Random, n: int, extra: int) -> list[Any]:
    """A long dependency chain in shuffled labels, plus extra forward edges."""
    order = list(range(n))
    rng.shuffle(order)
    edges = {(order[i], order[i + 1]) for i in range(n - 1)}
    for _ in range(extra):
        a = rng.randrange(n - 2)
        edges.add((order[a], order[rng.randrange(a + 2, n)]))
    pairs = [list(edge) for edge in sorted(edges)]
    rng.shuffle(pairs)
    return [n, pairs]


def _serpentine(rows: int, cols: int, open_cell: str, wall: str) -> list[list[str]]:
    """A corridor winding through the grid: open even rows joined at alternating ends."""
    grid = [[wall] * cols for _ in range(rows)]
    for r in range(0, rows, 2):
        grid[r] = [open_cell] * cols
        if r + 1 < rows:
            grid[r + 1][cols - 1 if (r // 2) % 2 == 0 else 0] = open_cell
    return grid


@generator
def serpentine_grid(
    rng: random.Random, rows: int, cols: int, open_cell: str, wall: str, extra: int = 0
) -> list[Any]:
    """A winding corridor plus `extra` isolated open cells dropped on free wall rows."""
    grid = _serpentine(rows, cols, open_cell, wall)
    for _ in range(extra):
        r = rng.randrange(1, rows - 1, 2)
        c = rng.randrange(2, cols - 2)
        if grid[r][c - 1] == wall and grid[r][c + 1] == wall:
            grid[r][c] = open_cell
    return [["".join(row) for row in grid]]


@generator
def random_grid(
    rng: random.Random, rows: int, cols: int, open_cell: str, wall: str, open_ratio: float
) -> list[Any]:
    grid = [[open_cell if rng.random() < open_ratio else wall for _ in range(cols)] for _ in range(rows)]
    return [["".join(row) for row in grid]]


@generator
def random_maze(rng: random.Random, rows: int, cols: int, wall_ratio: float) -> list[Any]:
    grid = [["#" if rng.random() < wall_ratio else "." for _ in range(cols)] for _ in range(rows)]
    grid[0][0] = grid[rows - 1][cols - 1] = "."
    return [["".join(row) for row in grid]]


# --- trees ----------------------------------------------------------------------------------------


def _caterpillar(rng: random.Random, spine: int, lo: int, hi: int) -> TreeNode:
    """A long left spine with a leaf hanging to the right of each spine node (built bottom-up)."""
    node = TreeNode(rng.randint(lo, hi))
    for _ in range(spine - 1):
        node = TreeNode(rng.randint(lo, hi), node, TreeNode(rng.randint(lo, hi)))
    return node


@generator
def caterpillar_tree(
    rng: random.Random, spine: int, lo: int, hi: int, then: list[Any] | None = None
) -> list[Any]:
    return [prepai_tree_level_order(_caterpillar(rng, spine, lo, hi)), *(then or [])]


@generator
def random_bst(rng: random.Random, n: int, lo: int, hi: int, broken: bool = False) -> list[Any]:
    """A search tree over distinct random keys inserted in random order; `broken` plants one bad key."""
    keys = rng.sample(range(lo, hi + 1), n)
    root = TreeNode(keys[0])
    nodes = [root]
    for key in keys[1:]:
        node = root
        while True:
            side = "left" if key < node.val else "right"
            child = getattr(node, side)
            if child is None:
                setattr(node, side, TreeNode(key))
                nodes.append(getattr(node, side))
                break
            node = child
    if broken:
        # A right-child leaf in the root's left subtree gets a key above the root's: its parent is
        # still smaller (a local check passes) but the root's bound is broken.
        victims = [n for n in nodes if n.left is None and n.right is None and n.val < root.val]
        parents = {id(c): n for n in nodes for c in (n.left, n.right) if c is not None}
        right_leaves = [v for v in victims if parents[id(v)].right is v]
        (rng.choice(right_leaves) if right_leaves else rng.choice(victims)).val = root.val + 1
    return [prepai_tree_level_order(root)]


@generator
def increasing_chain_tree(rng: random.Random, n: int) -> list[Any]:
    """A valid but maximally deep search tree: each key is the right child of the previous one."""
    keys = sorted(rng.sample(range(-1_000_000_000, 1_000_000_000), n))
    node: TreeNode | None = None
    for key in reversed(keys):
        node = TreeNode(key, None, node)
    return [prepai_tree_level_order(node)]


@generator
def random_tree(rng: random.Random, n: int, lo: int, hi: int, then: list[Any] | None = None) -> list[Any]:
    """A random binary tree of n nodes (each new node hangs on a random free child slot)."""
    root = TreeNode(rng.randint(lo, hi))
    free: list[tuple[TreeNode, str]] = [(root, "left"), (root, "right")]
    for _ in range(n - 1):
        parent, side = free.pop(rng.randrange(len(free)))
        child = TreeNode(rng.randint(lo, hi))
        setattr(parent, side, child)
        free += [(child, "left"), (child, "right")]
    return [prepai_tree_level_order(root), *(then or [])]
