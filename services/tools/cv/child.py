"""The isolated child's side: imported once by the forkserver, so every forked child starts warm.

Importing this module loads the parsers and compiles the skill taxonomy (about 0.6 s), which is why the
forkserver preloads it: a forked child then needs a few milliseconds, not a second, before it can work.
"""

from __future__ import annotations

import math
import os
import sys
import traceback
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

import docx  # noqa: F401  - preloaded for the forked children
import pypdf  # noqa: F401
import pypdfium2  # noqa: F401
import pytesseract  # noqa: F401
from PIL import Image  # noqa: F401

from services.tools.cv.analyze import analyze_cv
from services.tools.cv.errors import CvError
from services.tools.cv.limits import MIB, CvLimits
from services.tools.cv.skill_lists import preload as preload_skill_lists
from services.tools.cv.skills import load_taxonomy

preload_skill_lists(load_taxonomy())

_MAX_CHILD_FILE_BYTES = 256 * MIB  # tesseract writes its image and its text to temporary files
_MAX_OPEN_FILES = 256
CPU_GRACE_S = 5
# What the child keeps of the environment: enough to run tesseract and, for Textract, reach AWS.
_KEPT_ENV_KEYS = ("PATH", "LANG", "LC_ALL", "TESSDATA_PREFIX", "TMPDIR")
_AWS_ENV_PREFIX = "AWS_"


def run(connection: Connection, request: dict[str, Any]) -> None:
    """Entry point of a forked child: analyse one file and send one reply dict back."""
    os.setsid()  # its own process group, so a timeout can kill tesseract along with it
    limits = CvLimits.model_validate(request["limits"])
    _restrict_environment(textract=bool(request["textract"]))
    _apply_rlimits(limits)
    try:
        reply = _analyse(request, limits)
    finally:
        request.clear()  # drop the file bytes before pickling the reply
    connection.send(reply)
    connection.close()


def _restrict_environment(*, textract: bool) -> None:
    kept = {key: os.environ[key] for key in _KEPT_ENV_KEYS if key in os.environ}
    if textract:
        kept.update({key: value for key, value in os.environ.items() if key.startswith(_AWS_ENV_PREFIX)})
        if "HOME" in os.environ:
            kept["HOME"] = os.environ["HOME"]  # ~/.aws/config and credentials
    kept["OMP_THREAD_LIMIT"] = "1"  # tesseract's OpenMP threads only slow small pages down
    os.environ.clear()
    os.environ.update(kept)


def _apply_rlimits(limits: CvLimits) -> None:
    import resource

    cpu = math.ceil(limits.parse_timeout_s) + CPU_GRACE_S
    for name, value in (
        ("RLIMIT_AS", limits.max_memory_bytes),
        ("RLIMIT_CPU", cpu),
        ("RLIMIT_FSIZE", _MAX_CHILD_FILE_BYTES),
        ("RLIMIT_CORE", 0),
        ("RLIMIT_NOFILE", _MAX_OPEN_FILES),
    ):
        limit = getattr(resource, name)
        _, hard = resource.getrlimit(limit)
        soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
        new_hard = hard
        if name == "RLIMIT_CPU":  # the hard limit ends for good a child that survives SIGXCPU
            new_hard = soft + CPU_GRACE_S if hard == resource.RLIM_INFINITY else min(hard, soft + CPU_GRACE_S)
        resource.setrlimit(limit, (soft, new_hard))


def _analyse(request: dict[str, Any], limits: CvLimits) -> dict[str, Any]:
    try:
        client = _textract_client() if request["textract"] else None
        analysis = analyze_cv(
            request["filename"],
            request["data"],
            limits=limits,
            textract_client=client,
            today=date.fromisoformat(request["today"]),
        )
        return {"analysis": analysis.model_dump(mode="json")}
    except CvError as error:
        return {"error": error.to_dict()}
    except MemoryError:
        return {
            "error": CvError(
                "file_too_complex", "The document needs more memory than allowed to read."
            ).to_dict()
        }
    except Exception as exc:  # a parser bug on a strange file: report it as a bad file, log the trace
        traceback.print_exc(file=sys.stderr)
        return {
            "error": CvError(
                "parse_failed", f"The document could not be read ({type(exc).__name__})."
            ).to_dict()
        }


def _textract_client() -> Any:
    import boto3

    return boto3.client("textract")
