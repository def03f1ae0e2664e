"""Real clients for tests: LibreOffice opens our files, poppler reads the PDFs we make, zbar
reads the QR codes printed on them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any


def _tool(*names: str, package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        f"{names[0]} is missing: `make test` installs it (apt-get install {package})."
    )


def libreoffice_convert(content: bytes, filename: str, target: str, workdir: Path) -> Path:
    """Open ``content`` (named ``filename``) in headless LibreOffice and save it as ``target``
    (``"pdf"``, ``"xlsx:Calc MS Excel 2007 XML"``...). Fails when LibreOffice cannot read it."""
    office = _tool("libreoffice", "soffice", package="libreoffice-calc libreoffice-writer")
    source = workdir / "in" / filename
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(content)
    outdir = workdir / "out"
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{workdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    extension = target.split(":", 1)[0]
    converted = outdir / f"{source.stem}.{extension}"
    if result.returncode != 0 or not converted.exists():
        raise AssertionError(
            f"LibreOffice could not convert {filename}: {result.stdout} {result.stderr}"
        )
    return converted


def pdf_text(path: Path) -> str:
    """The text of a PDF, laid out as on the page (pdftotext -layout)."""
    pdftotext = _tool("pdftotext", package="poppler-utils")
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_qr_codes(path: Path, workdir: Path) -> list[str]:
    """What the QR codes on a PDF's pages say: each page drawn at 150 dpi (pdftoppm), then
    read by zbarimg as a phone's camera would read the print."""
    pdftoppm = _tool("pdftoppm", package="poppler-utils")
    zbarimg = _tool("zbarimg", package="zbar-tools")
    prefix = workdir / "page"
    subprocess.run([pdftoppm, "-r", "150", "-png", str(path), str(prefix)], check=True)
    found: list[str] = []
    for image in sorted(workdir.glob("page*.png")):
        result = subprocess.run(
            [zbarimg, "--quiet", "--raw", "-Sqrcode.enable", str(image)],
            capture_output=True,
            text=True,
            check=False,
        )
        found += [line for line in result.stdout.splitlines() if line]
    return found


def with_blank_rows(xlsx: bytes, count: int, *, then: str = "") -> bytes:
    """``xlsx`` with ``count`` styled blank rows appended to its first sheet (then, optionally,
    one row whose cell A holds the text ``then``): the shape of a decompression bomb, a small
    file that inflates to millions of rows."""
    import io
    import re
    import zipfile

    sheet = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == sheet:
                text = data.decode()
                last = max(int(n) for n in re.findall(r'<row r="(\d+)"', text))
                rows = "".join(
                    f'<row r="{n}"><c r="A{n}" s="0"/></row>'
                    for n in range(last + 1, last + 1 + count)
                )
                if then:
                    n = last + 1 + count
                    rows += (
                        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{then}</t></is></c></row>'
                    )
                text = re.sub(r"<dimension [^>]*/>", "", text)
                data = text.replace("</sheetData>", rows + "</sheetData>").encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def queries_below_and_above_the_count_limit(client: Any, url: str, settings: Any) -> list[int]:
    """The queries ``url`` issues with its list counted exactly and with the same list above
    ``settings.LIST_EXACT_COUNT_LIMIT`` (a limit of 0: any row is above it) — the page as at
    small and at national size, where it shows an estimate or "hơn N" (issue 11). A list page
    must issue as many queries in both; its list must have a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for limit in (10**9, 0):
        settings.LIST_EXACT_COUNT_LIMIT = limit
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx.captured_queries))
    return counts


def as_read(obj: Any) -> Any:
    """A model instance as read: its column values, its state, and the same of the related
    instances it carries (``select_related``), to compare two reads of the same rows; a
    related instance seen again (the way back to ``obj``) is named, not followed."""

    def walk(obj: Any, seen: tuple[int, ...]) -> Any:
        if obj is None or id(obj) in seen:
            return obj and f"<{type(obj).__name__} {obj.pk} again>"
        seen = (*seen, id(obj))
        return (
            {k: v for k, v in vars(obj).items() if k != "_state"},
            {k: walk(v, seen) for k, v in obj._state.fields_cache.items()},
            obj._state.db,
            obj._state.adding,
        )

    return walk(obj, ())
