"""Static files: compressed once, served by WhiteNoise under content-hashed names for a year.

A browser may keep ``css/app.3f2a9c1b0d4e.css`` for a year because the name changes
whenever the content does: a new release's pages ask for new names, and nobody sees a
stale stylesheet. At start-up the app copies ``static/`` into ``instance/static/`` under
such names, with a gzip copy beside each text file, and WhiteNoise (a well-kept WSGI
static server) serves them, choosing the gzip copy for browsers that accept it.
``url_for("static", filename="css/app.css")`` gives the hashed name.

The plain names are served too, for the rare page that names a file by hand (the last-resort
500 page of :mod:`survey.guard`), but only briefly cached, since they change in place.

Several workers may start at once: every file is written to a temporary name and moved into
place, the gzip copy before its original, so no worker ever sees half a file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise

#: How long a browser keeps a file under a content-hashed name.
ONE_YEAR = 365 * 24 * 60 * 60
#: How long it keeps one under its plain name (which changes in place).
PLAIN_NAME_MAX_AGE = 60
#: Files worth compressing: text. Images and fonts are compressed already.
COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".json", ".txt", ".map", ".html", ".xml"})
#: Hex digits of the SHA-256 kept in a hashed name: 48 bits, plenty for a few files.
HASH_LENGTH = 12

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class StaticBuild:
    """The served copy of the static folder and each file's hashed name."""

    folder: Path
    #: Plain relative name ("css/app.css") to its hashed one ("css/app.3f2a9c1b0d4e.css").
    hashed: dict[str, str]


def hashed_name(relative: str, content: bytes) -> str:
    """The file's name with a digest of its content before the extension.

    >>> hashed_name("css/app.css", b"body {}")
    'css/app.62368a1a2925.css'
    >>> hashed_name("LICENSE", b"MIT")
    'LICENSE.e5dcffe836b6'
    """
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, _, name = relative.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    hashed = f"{stem}.{digest}.{extension}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def _write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file, so readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _place(path: Path, content: bytes) -> None:
    """Put `content` at `path` with its gzip copy first (when worth it), unless it is there.

    WhiteNoise picks the ``.gz`` copy only when it exists as the original is scanned, so
    it is written first; it is kept only when it is smaller.
    """
    if path.exists() and path.read_bytes() == content:
        return
    if path.suffix in COMPRESSIBLE:
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        if len(packed) < len(content):
            _write_atomically(path.with_name(path.name + ".gz"), packed)
    _write_atomically(path, content)


def _source_files(source: Path) -> list[tuple[str, Path]]:
    """Every file under `source` as (relative name with "/", path), sorted, dotfiles aside."""
    found = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            found.append((relative, path))
    return found


def build_static(source: Path, target: Path) -> StaticBuild:
    """Copy `source` into `target` under plain and hashed names, with gzip copies."""
    hashed: dict[str, str] = {}
    for relative, path in _source_files(source):
        content = path.read_bytes()
        hashed[relative] = hashed_name(relative, content)
        _place(target / hashed[relative], content)
        _place(target / relative, content)
    return StaticBuild(target, hashed)


def static_server(
    app: WSGIApp, build: StaticBuild, prefix: str, security_headers: Mapping[str, str]
) -> WhiteNoise:
    """WhiteNoise in front of `app`: hashed names kept a year, plain names a minute.

    WhiteNoise answers before Flask does, so the app's own security headers are added here
    too: a stylesheet carries the same policy as a page.
    """
    immutable = {f"{prefix}/{name}" for name in build.hashed.values()}

    def cache_headers(headers: Any, path: str, url: str) -> None:
        headers["Cache-Control"] = (
            f"public, max-age={ONE_YEAR}, immutable"
            if url in immutable
            else f"public, max-age={PLAIN_NAME_MAX_AGE}"
        )
        for name, value in security_headers.items():
            headers[name] = value

    return WhiteNoise(
        app,
        root=str(build.folder),
        prefix=prefix,
        allow_all_origins=False,
        add_headers_function=cache_headers,
    )


def register_static_files(app: Flask, security_headers: Mapping[str, str]) -> None:
    """Serve ``static/`` through WhiteNoise, and make ``url_for`` give the hashed names."""
    served = Path(app.config["SURVEY_INSTANCE"]) / "static"
    build = build_static(Path(app.static_folder or "static"), served)

    @app.url_defaults
    def hashed_static_name(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = build.hashed.get(values["filename"], values["filename"])

    app.wsgi_app = static_server(  # type: ignore[method-assign]
        app.wsgi_app, build, app.static_url_path or "/static", security_headers
    )
