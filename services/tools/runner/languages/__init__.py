"""One adapter per language: check or compile the code, then plan the sandboxed test session."""

from __future__ import annotations

from services.tools.runner.languages.base import LanguageAdapter
from services.tools.runner.languages.cpp import CppAdapter
from services.tools.runner.languages.java import JavaAdapter
from services.tools.runner.languages.javascript import JavaScriptAdapter
from services.tools.runner.languages.python import PythonAdapter
from services.tools.runner.models import Language

ADAPTERS: dict[Language, LanguageAdapter] = {
    "python": PythonAdapter(),
    "javascript": JavaScriptAdapter(),
    "java": JavaAdapter(),
    "cpp": CppAdapter(),
}

__all__ = ["ADAPTERS", "LanguageAdapter"]
