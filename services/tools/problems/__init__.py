"""The coding problem bank: original interview problems with tests, hints and reference solutions.

Public API (domain only; the REST endpoints live in the gateway):
- `load_problems()`, `get_problem(id)`: the validated bank (cached);
- `list_problems(tag, difficulty)`, `public_view(problem)`, `hint(problem, level)`: what candidates see;
- `runner_tests(problem, style)`: every test as keyword arguments for the runner's `TestCase`;
- `runner_limits(problem)`: keyword arguments for the runner's `RunLimits` (time, output cap);
- `function_submission(problem, language, code)`: the code and entry name for a function-style run
  (adds node classes and conversions for linked-list and tree problems).
"""

from services.tools.problems.catalog import hint, list_problems, public_view, runner_limits, runner_tests
from services.tools.problems.harness import FunctionSubmission, function_submission, python_stdio_program
from services.tools.problems.loader import BankError, expanded_tests, get_problem, load_problems
from services.tools.problems.models import TAGS, ConcreteTest, Problem

__all__ = [
    "TAGS",
    "BankError",
    "ConcreteTest",
    "FunctionSubmission",
    "Problem",
    "expanded_tests",
    "function_submission",
    "get_problem",
    "hint",
    "list_problems",
    "load_problems",
    "public_view",
    "python_stdio_program",
    "runner_limits",
    "runner_tests",
]
