"""CV analyzer (domain): PDF/DOCX/TXT resume bytes in, structured analysis out. No transport here."""

from services.tools.cv.analyze import analyze_cv
from services.tools.cv.errors import CvError
from services.tools.cv.isolation import IsolatedCvParser
from services.tools.cv.limits import DEFAULT_LIMITS, CvLimits
from shared.cv import CvAnalysis, EducationEntry, ExperienceEntry

__all__ = [
    "DEFAULT_LIMITS",
    "CvAnalysis",
    "CvError",
    "CvLimits",
    "EducationEntry",
    "ExperienceEntry",
    "IsolatedCvParser",
    "analyze_cv",
]
