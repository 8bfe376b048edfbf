// Linked-list and binary-tree nodes for JavaScript submissions, with conversions to and from the
// JSON lists the tests use (see structures.py for the representations). Appended after the
// candidate's code, so their line numbers stay as written; iterative, so deep chains are fine.
// The classes are global properties rather than declarations: a candidate who pastes their own
// `class ListNode` keeps it (a second declaration would be a syntax error).
globalThis.ListNode = class ListNode {
  constructor(val = 0, next = null) {
    this.val = val;
    this.next = next;
  }
};

globalThis.TreeNode = class TreeNode {
  constructor(val = 0, left = null, right = null) {
    this.val = val;
    this.left = left;
    this.right = right;
  }
};

const PREPAI_NODE_LIMIT = 10000000;

function prepaiBuildLinkedList(values) {
  let head = null;
  for (let index = values.length - 1; index >= 0; index -= 1) head = new ListNode(values[index], head);
  return head;
}

function prepaiLinkedListValues(head) {
  const values = [];
  for (let node = head; node !== null && node !== undefined; node = node.next) {
    values.push(node.val);
    if (values.length > PREPAI_NODE_LIMIT) throw new Error("the returned linked list has a cycle or is too long");
  }
  return values;
}

function prepaiBuildTree(levelOrder) {
  if (levelOrder.length === 0 || levelOrder[0] === null) return null;
  const root = new TreeNode(levelOrder[0]);
  const waiting = [root];
  let position = 0;
  let index = 1;
  while (index < levelOrder.length) {
    const parent = waiting[position++];
    const leftValue = levelOrder[index++];
    if (leftValue !== null) {
      parent.left = new TreeNode(leftValue);
      waiting.push(parent.left);
    }
    if (index < levelOrder.length) {
      const rightValue = levelOrder[index++];
      if (rightValue !== null) {
        parent.right = new TreeNode(rightValue);
        waiting.push(parent.right);
      }
    }
  }
  return root;
}

function prepaiTreeLevelOrder(root) {
  const listing = [];
  const queue = root === null || root === undefined ? [] : [root];
  for (let position = 0; position < queue.length; position += 1) {
    const node = queue[position];
    if (node === null || node === undefined) {
      listing.push(null);
      continue;
    }
    listing.push(node.val);
    queue.push(node.left === undefined ? null : node.left, node.right === undefined ? null : node.right);
    if (queue.length > 2 * PREPAI_NODE_LIMIT) throw new Error("the returned tree has a cycle or is too large");
  }
  while (listing.length > 0 && listing[listing.length - 1] === null) listing.pop();
  return listing;
}
