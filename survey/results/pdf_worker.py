"""The PDF child process: WeasyPrint with a fetcher that serves only the app's static files.

The report's HTML holds people's answers; even though Jinja escapes them, WeasyPrint is only
ever allowed to read the app's own static files, from disk, never ``file://`` paths, the
network or ``data:`` URLs. This module is imported only by the child (and tests), so web
workers never load WeasyPrint.

Run as ``python -m survey.results.pdf_worker STATIC_DIR [PARENT_PID]``: HTML on stdin, PDF
on stdout. With PARENT_PID the child dies as soon as that process does.
"""

from __future__ import annotations

import ctypes
import mimetypes
import os
import signal
import sys
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The made-up origin the report's HTML is rendered under (``.invalid`` never resolves).
BASE_URL = "https://rapport.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class RefusedURL(ValueError):
    """The report asked for something outside the app's static files."""


def static_path(url: str, static_dir: Path) -> Path:
    """The file a static URL names, or RefusedURL for anything else.

    >>> static_path("file:///etc/passwd", Path("/srv/static"))
    Traceback (most recent call last):
    ...
    survey.results.pdf_worker.RefusedURL: only the app's own static files may be used: file:///etc/passwd
    """
    if not url.startswith(STATIC_PREFIX) or "?" in url or "#" in url or "\\" in url:
        raise RefusedURL(f"only the app's own static files may be used: {url[:200]}")
    root = static_dir.resolve()
    wanted = (root / url.removeprefix(STATIC_PREFIX)).resolve()
    if not wanted.is_relative_to(root) or not wanted.is_file():
        raise RefusedURL(f"no such static file: {url[:200]}")
    return wanted


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint fetcher that serves the static folder and refuses everything else."""

    def __init__(self, static_dir: Path) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.static_dir = static_dir

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = static_path(url, self.static_dir)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def open(self, url: object, data: object = None, timeout: object = None) -> object:
        raise RefusedURL("the report may not open other URLs")


def html_to_pdf(html: str, static_dir: Path) -> bytes:
    """Render in this process (the child's job); only static files can be fetched."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_dir))
    return document.write_pdf()  # type: ignore[no-any-return]


#: prctl(2) option: the signal this process gets when the thread that started it ends.
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), and check it is alive.

    The check closes the gap before prctl: a parent that died first has made this process
    an orphan, whose parent pid is no longer the one it was given. The kernel sends the
    signal when the *thread* that started the child ends; in a threaded gunicorn worker
    that thread waits for the child in :func:`survey.results.pdf.render_pdf`, so the signal
    comes only with the worker's death.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        raise SystemExit("the process that asked for this report has ended")


def main(argv: list[str] | None = None) -> int:
    """Child entry point: HTML on stdin, PDF on stdout."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        usage = "usage: python -m survey.results.pdf_worker STATIC_DIR [PARENT_PID] < report.html"
        print(usage, file=sys.stderr)
        return 2
    if len(args) == 2:
        die_with_parent(int(args[1]))
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(html_to_pdf(html, Path(args[0])))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
