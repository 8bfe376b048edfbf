"""The coding problem bank: original interview problems with tests, hints and reference solutions.

Public API (domain only; the tools service's handlers serve it over NATS):
- `ProblemBank.load()`: the validated bank (the service builds one at start-up); `bank.get(id)`
  (ProblemNotFound if unknown), `bank.expanded_tests(problem)` (every test, cached per problem);
- `list_problems(bank, tag, difficulty)`, `public_view(problem)`, `hint(problem, level)`: what
  candidates see, as the contract's models (`shared.tools_api`);
- `runner_tests(problem, tests, style)`: every test as keyword arguments for the runner's `TestCase`;
- `runner_limits(problem, tests)`: keyword arguments for the runner's `RunLimits` (time, output cap);
- `function_submission(problem, language, code)`: the code and entry name for a function-style run
  (adds node classes and conversions for linked-list and tree problems).
"""

from services.tools.problems.catalog import hint, list_problems, public_view, runner_limits, runner_tests
from services.tools.problems.harness import FunctionSubmission, function_submission, python_stdio_program
from services.tools.problems.loader import BankError, ProblemBank, ProblemNotFound, check_question_problems
from services.tools.problems.models import TAGS, ConcreteTest, Problem

__all__ = [
    "TAGS",
    "BankError",
    "ConcreteTest",
    "FunctionSubmission",
    "Problem",
    "ProblemBank",
    "ProblemNotFound",
    "check_question_problems",
    "function_submission",
    "hint",
    "list_problems",
    "public_view",
    "python_stdio_program",
    "runner_limits",
    "runner_tests",
]
