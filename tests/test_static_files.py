"""Static files: content-hashed names kept a year, gzip for browsers that take it (issue 15).

The pages name their stylesheets and scripts through ``url_for``, which gives the hashed
name; WhiteNoise serves those with a year's ``Cache-Control`` and the gzip copy when the
browser accepts it. Fonts and CSS come only from the app.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.app import CONTENT_SECURITY_POLICY
from survey.static_files import ONE_YEAR, PLAIN_NAME_MAX_AGE, build_static, hashed_name

STATIC = Path(__file__).resolve().parent.parent / "static"
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """GET a static file and close it (WhiteNoise streams the open file)."""
    with client.get(url, headers=headers) as response:
        response.get_data()
        return response


def _linked_files(client: FlaskClient, page: str) -> list[str]:
    response = client.get(page)
    assert response.status_code == 200
    return LINKED.findall(response.text)


def test_a_hashed_name_follows_the_content() -> None:
    first = hashed_name("css/app.css", b"body { color: black }")
    assert first == hashed_name("css/app.css", b"body { color: black }")
    assert first != hashed_name("css/app.css", b"body { color: navy }")
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", first)


def test_the_build_keeps_both_names_and_a_gzip_copy_of_text(tmp_path: Path) -> None:
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "img").mkdir()
    css = b"main { margin: 0 auto; }\n" * 200
    png = bytes(range(256)) * 4  # does not shrink: no gzip copy is kept
    (source / "css" / "site.css").write_bytes(css)
    (source / "img" / "logo.png").write_bytes(png)
    (source / ".hidden").write_bytes(b"not served")

    build = build_static(source, tmp_path / "served")

    assert set(build.hashed) == {"css/site.css", "img/logo.png"}
    hashed_css = build.folder / build.hashed["css/site.css"]
    assert hashed_css.read_bytes() == css
    assert (build.folder / "css" / "site.css").read_bytes() == css
    assert gzip.decompress(hashed_css.with_name(hashed_css.name + ".gz").read_bytes()) == css
    assert not list(build.folder.rglob("*.png.gz"))
    assert not (build.folder / ".hidden").exists()


def test_a_second_build_rewrites_nothing(tmp_path: Path) -> None:
    source = tmp_path / "static"
    source.mkdir()
    (source / "app.js").write_bytes(b"console.log('hello');\n" * 50)
    build_static(source, tmp_path / "served")
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "served").rglob("*")}

    build_static(source, tmp_path / "served")

    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "served").rglob("*")} == stamps


def test_pages_link_hashed_names_kept_a_year(client: FlaskClient) -> None:
    linked = _linked_files(client, "/login")
    assert any(name.endswith(".css") for name in linked)
    assert any(name.endswith(".js") for name in linked)
    for url in linked:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        response = _fetch(client, url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_text_files_are_sent_compressed_to_browsers_that_accept_it(client: FlaskClient) -> None:
    stylesheet = next(u for u in _linked_files(client, "/login") if u.endswith(".css"))
    plain_name = re.sub(r"\.[0-9a-f]{12}(\.css)$", r"\1", stylesheet).removeprefix("/static/")
    original = (STATIC / plain_name).read_bytes()

    packed = _fetch(client, stylesheet, **{"Accept-Encoding": "gzip, br"})
    unpacked = _fetch(client, stylesheet)

    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(original) / 2
    assert gzip.decompress(packed.data) == original
    assert "Content-Encoding" not in unpacked.headers
    assert unpacked.data == original


def test_a_plain_name_still_works_but_is_kept_only_briefly(client: FlaskClient) -> None:
    response = _fetch(client, "/static/css/app.css")

    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == f"public, max-age={PLAIN_NAME_MAX_AGE}"


def test_an_unknown_static_file_is_not_found(client: FlaskClient) -> None:
    assert _fetch(client, "/static/css/nothing.css").status_code == 404


def test_fonts_and_css_come_only_from_the_app() -> None:
    """The policy allows no other origin, and no stylesheet reaches for one."""
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    assert "font-src" not in CONTENT_SECURITY_POLICY  # so default-src 'self' governs fonts
    for stylesheet in STATIC.rglob("*.css"):
        text = stylesheet.read_text()
        assert "@import" not in text, stylesheet
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), stylesheet
