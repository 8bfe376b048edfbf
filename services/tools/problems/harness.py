"""Code around a submission so the sandboxed runner can run it against the bank's tests.

- Function style: problems over plain values run the candidate's function as is. Problems over
  linked lists and trees get an entry function that turns the JSON lists of the tests into nodes
  and the answer back into a list (the runner only passes and compares JSON values).
- Stdin style: `python_stdio_program` turns a function-form Python solution into a whole program
  that reads the stdin form and prints the stdout form (used to run the references that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from services.tools.problems import structures, textio
from services.tools.problems.models import Problem
from services.tools.problems.valuetypes import STRUCTURE_TYPES

FunctionLanguage = Literal["python", "javascript"]

_PACKAGE_DIR = Path(__file__).resolve().parent
PYTHON_STRUCTURES_SOURCE = Path(structures.__file__).read_text(encoding="utf-8")
PYTHON_TEXTIO_SOURCE = Path(textio.__file__).read_text(encoding="utf-8")
JAVASCRIPT_STRUCTURES_SOURCE = (_PACKAGE_DIR / "structures.js").read_text(encoding="utf-8")

PYTHON_ENTRY = "prepai_entry"
FUTURE_IMPORT = "from __future__"
LAZY_ANNOTATIONS = "from __future__ import annotations"
JAVASCRIPT_ENTRY = "prepaiEntry"

_PYTHON_TO_OBJECT = {
    "ListNode": "prepai_build_linked_list({})",
    "ListNode[]": "[prepai_build_linked_list(values) for values in {}]",
    "TreeNode": "prepai_build_tree({})",
}
_PYTHON_TO_JSON = {
    "ListNode": "prepai_linked_list_values({})",
    "ListNode[]": "[prepai_linked_list_values(head) for head in {}]",
    "TreeNode": "prepai_tree_level_order({})",
}
_JAVASCRIPT_TO_OBJECT = {
    "ListNode": "prepaiBuildLinkedList({})",
    "ListNode[]": "{}.map(prepaiBuildLinkedList)",
    "TreeNode": "prepaiBuildTree({})",
}
_JAVASCRIPT_TO_JSON = {
    "ListNode": "prepaiLinkedListValues({})",
    "ListNode[]": "{}.map(prepaiLinkedListValues)",
    "TreeNode": "prepaiTreeLevelOrder({})",
}


@dataclass(frozen=True)
class FunctionSubmission:
    """What to hand the runner: `code` and `function_name` for a function-style RunRequest.

    `line_offset` is how many lines were put before the candidate's code (subtract it from line
    numbers in error messages).
    """

    code: str
    function_name: str
    line_offset: int


def uses_structures(problem: Problem) -> bool:
    return problem.returns in STRUCTURE_TYPES or any(p.type in STRUCTURE_TYPES for p in problem.params)


def _convert(template: dict[str, str], kind: str, expression: str) -> str:
    return template[kind].format(expression) if kind in template else expression


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _python_entry(problem: Problem) -> str:
    names = [param.name for param in problem.params]
    call_args = ", ".join(_convert(_PYTHON_TO_OBJECT, p.type, p.name) for p in problem.params)
    call = f"{problem.python.function_name}({call_args})"
    return f"\n\ndef {PYTHON_ENTRY}({', '.join(names)}):\n    return {_convert(_PYTHON_TO_JSON, problem.returns, call)}\n"


def _javascript_entry(problem: Problem) -> str:
    names = [camel_case(param.name) for param in problem.params]
    call_args = ", ".join(
        _convert(_JAVASCRIPT_TO_OBJECT, p.type, name) for p, name in zip(problem.params, names, strict=True)
    )
    call = f"{problem.javascript.function_name}({call_args})"
    body = _convert(_JAVASCRIPT_TO_JSON, problem.returns, call)
    return f"\nfunction {JAVASCRIPT_ENTRY}({', '.join(names)}) {{\n  return {body};\n}}\n"


def _python_function_submission(problem: Problem, code: str) -> FunctionSubmission:
    # The node classes follow the candidate's code, so their line numbers stay put and our classes
    # win over pasted copies. Lazy annotations let `-> ListNode | None` name a class defined later;
    # code with its own future imports keeps them first (they must open the file).
    has_future_imports = FUTURE_IMPORT in code
    header = "" if has_future_imports else LAZY_ANNOTATIONS + "\n"
    wrapped = f"{header}{code.rstrip()}\n\n\n{PYTHON_STRUCTURES_SOURCE}{_python_entry(problem)}"
    return FunctionSubmission(code=wrapped, function_name=PYTHON_ENTRY, line_offset=header.count("\n"))


def function_submission(problem: Problem, language: FunctionLanguage, code: str) -> FunctionSubmission:
    """Wrap a candidate's function-style code for the runner."""
    if not uses_structures(problem):
        function_name = (
            problem.python.function_name if language == "python" else problem.javascript.function_name
        )
        return FunctionSubmission(code=code, function_name=function_name, line_offset=0)
    if language == "python":
        return _python_function_submission(problem, code)
    # JavaScript classes are only needed when the function runs, so they can follow the code.
    wrapped = code.rstrip("\n") + "\n\n" + JAVASCRIPT_STRUCTURES_SOURCE + _javascript_entry(problem)
    return FunctionSubmission(code=wrapped, function_name=JAVASCRIPT_ENTRY, line_offset=0)


def python_stdio_program(problem: Problem, function_source: str) -> str:
    """A whole Python program: reads the stdin form, calls the function, prints the stdout form."""
    reads = [
        f"    {p.name} = {_convert(_PYTHON_TO_OBJECT, p.type, f'read_value(reader, {p.type!r})')}"
        for p in problem.params
    ]
    call = f"{problem.python.function_name}({', '.join(p.name for p in problem.params)})"
    answer = _convert(_PYTHON_TO_JSON, problem.returns, call)
    main = "\n".join(
        [
            "def prepai_main():",
            "    reader = LineReader(sys.stdin.read())",
            *reads,
            f"    print('\\n'.join(format_value({answer}, {problem.returns!r})))",
            "",
            "",
            "prepai_main()",
            "",
        ]
    )
    parts = ["import sys", PYTHON_STRUCTURES_SOURCE, PYTHON_TEXTIO_SOURCE, function_source, main]
    return "\n\n".join(part.strip("\n") + "\n" for part in parts)


def starter_code(problem: Problem, language: FunctionLanguage) -> str:
    """What the editor starts with: the signature and an empty body."""
    if language == "python":
        note = "# ListNode(val, next) and TreeNode(val, left, right) are predefined.\n"
        header = note if uses_structures(problem) else ""
        return f"{header}{problem.python.signature}\n    pass\n"
    note = "// ListNode(val, next) and TreeNode(val, left, right) are predefined classes.\n"
    header = note if uses_structures(problem) else ""
    return f"{header}{problem.javascript.signature} {{\n}}\n"
