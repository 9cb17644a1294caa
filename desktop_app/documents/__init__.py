"""Batch translation of documents: one handler per format, a resumable job runner.

from desktop_app.documents import Job
report = Job(inputs=(Path("report.docx"),), target="fr").run(engine, progress, cancel)
"""

from desktop_app.documents.model import Segment, Span, TranslatedSegment
from desktop_app.documents.registry import handler_for, supported_extensions
from desktop_app.documents.report import FileResult, JobProgress, JobReport
from desktop_app.documents.runner import Job
from desktop_app.documents.translator import Translator

__all__ = [
    "FileResult",
    "Job",
    "JobProgress",
    "JobReport",
    "Segment",
    "Span",
    "TranslatedSegment",
    "Translator",
    "handler_for",
    "supported_extensions",
]
