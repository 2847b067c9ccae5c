"""The PDF report: HTML made by Jinja in the web app, turned into PDF in a child process.

Why a child process: WeasyPrint can take long on a large review, and a web worker must
never hang on it; the child (:mod:`survey.results.pdf_worker`) is killed after
``SURVEY_PDF_TIMEOUT`` seconds (60 by default) and the person gets a clear page instead.
The child is told the parent's pid and dies with it (see
:func:`survey.results.pdf_worker.die_with_parent`), so a gunicorn worker killed mid-render
leaves no renderer behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEFAULT_TIMEOUT = 60.0


class PdfError(RuntimeError):
    """The PDF could not be made (the child failed, or ran out of time)."""


class PdfTimeout(PdfError):
    """The child process ran past its time limit and was stopped."""


def render_pdf(html: str, static_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Render in a child process with a time limit; PdfTimeout or PdfError on failure."""
    parent = str(os.getpid())
    command = [sys.executable, "-m", "survey.results.pdf_worker", str(static_dir), parent]
    try:
        done = subprocess.run(
            command,
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfTimeout(f"the report took longer than {timeout:g} seconds") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        tail = done.stderr.decode("utf-8", "replace")[-500:]
        raise PdfError(f"the report could not be made (exit {done.returncode}): {tail}")
    return done.stdout
