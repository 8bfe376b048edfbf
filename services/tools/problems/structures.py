"""Linked-list and binary-tree node classes with conversions to and from JSON-friendly lists.

This module is also pasted verbatim into the programs that run inside the code sandbox (see
`harness.py`), so it must stay self-contained: no imports, no names starting with an underscore
(the sandbox's Python policy refuses them), plain builtins only, and iterative code only (a
10^5-node chain must not hit the recursion limit). The helpers carry a `prepai_` prefix so they
cannot collide with a candidate's own `build_tree` and the like.

Representations (the same in function-style JSON tests and, as text, in stdin/stdout tests):
- a linked list is the list of its values from head to tail; `[]` is the empty list (None);
- a binary tree is its level-order listing with `None` (JSON `null`) for a missing child, where the
  children of a missing node are not listed and trailing `None`s are dropped: `[1, None, 2, 3]` is
  1 with right child 2, whose left child is 3. `[]` is the empty tree.
"""


class ListNode:
    def __init__(self, val: int = 0, next: "ListNode | None" = None) -> None:
        self.val = val
        self.next = next


class TreeNode:
    def __init__(self, val: int = 0, left: "TreeNode | None" = None, right: "TreeNode | None" = None) -> None:
        self.val = val
        self.left = left
        self.right = right


# A buggy solution may return a cyclic structure; stop walking it instead of looping forever.
PREPAI_NODE_LIMIT = 10000000


def prepai_build_linked_list(values: list[int]) -> "ListNode | None":
    head = None
    index = len(values) - 1
    while index >= 0:
        head = ListNode(values[index], head)
        index -= 1
    return head


def prepai_linked_list_values(head: "ListNode | None") -> list[int]:
    values: list[int] = []
    node = head
    while node is not None:
        values.append(node.val)
        if len(values) > PREPAI_NODE_LIMIT:
            raise ValueError("the returned linked list has a cycle or is too long")
        node = node.next
    return values


def prepai_build_tree(level_order: "list[int | None]") -> "TreeNode | None":
    if len(level_order) == 0 or level_order[0] is None:
        return None
    root = TreeNode(level_order[0])
    waiting = [root]
    position = 0
    index = 1
    while index < len(level_order):
        parent = waiting[position]
        position += 1
        left_value = level_order[index]
        index += 1
        if left_value is not None:
            parent.left = TreeNode(left_value)
            waiting.append(parent.left)
        if index < len(level_order):
            right_value = level_order[index]
            index += 1
            if right_value is not None:
                parent.right = TreeNode(right_value)
                waiting.append(parent.right)
    return root


def prepai_tree_level_order(root: "TreeNode | None") -> "list[int | None]":
    listing: list[int | None] = []
    queue: list[TreeNode | None] = [root] if root is not None else []
    position = 0
    while position < len(queue):
        node = queue[position]
        position += 1
        if node is None:
            listing.append(None)
            continue
        listing.append(node.val)
        queue.append(node.left)
        queue.append(node.right)
        if len(queue) > 2 * PREPAI_NODE_LIMIT:
            raise ValueError("the returned tree has a cycle or is too large")
    while len(listing) > 0 and listing[-1] is None:
        listing.pop()
    return listing
