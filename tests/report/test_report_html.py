"""report.html in a real browser (headless Chromium, no network), and report.xlsx in openpyxl.

The browser test appends a small script to a copy of the report that, once the page has
loaded, counts the images that decoded (``complete`` and a natural width) and writes the
result into the DOM; Chromium's ``--dump-dom`` prints it. A copy with one image broken on
purpose must be caught, so the check can fail. The screenshot is kept in the test's folder
(and, with ``QCODE_REPORT_SCREENSHOT=path``, written there: docs/report-screenshot.png is
made that way).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.report.conftest import Study

PROBE = """
<script>
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const ok = images.filter((i) => i.complete && i.naturalWidth > 0).length;
  const mark = document.createElement("div");
  mark.id = "qcode-probe";
  mark.textContent = JSON.stringify({
    images: images.length, loaded: ok,
    codes_rows: document.querySelectorAll("#table-codes tbody tr").length,
  });
  document.body.appendChild(mark);
});
</script>
"""
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio",
    # No network: every request but file: and data: goes to an address that refuses.
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser test: install Debian's chromium (./run tests does, as root).")
    pytest.skip("Chromium is not installed here (./run tests installs it when run as root).")


def _run(args: list[str], profile: Path) -> str:
    result = subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "HOME": str(profile)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _probe(page: Path, profile: Path) -> dict[str, int]:
    dom = _run(["--virtual-time-budget=10000", "--dump-dom", page.as_uri()], profile)
    found = re.search(r'<div id="qcode-probe">(.*?)</div>', dom)
    assert found, "the probe script did not run"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_report_opens_offline_with_every_chart_and_the_codes_table(study: Study, tmp_path: Path) -> None:
    page = (study.out / "report.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    n_charts = page.count('<img class="chart"')
    assert n_charts >= 15
    probed = tmp_path / "report.html"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = _probe(probed, tmp_path / "profile")
    assert result["images"] == n_charts
    assert result["loaded"] == n_charts
    assert result["codes_rows"] >= 28  # 28 codes and their group rows

    # The check can fail: one chart with broken image data is reported as not loaded.
    broken = tmp_path / "broken.html"
    first = page.index("data:image/png;base64,") + len("data:image/png;base64,")
    broken.write_text((page[:first] + "AAAA" + page[first + 40 :]).replace("</body>", PROBE + "</body>"), encoding="utf-8")
    assert _probe(broken, tmp_path / "profile2")["loaded"] == n_charts - 1

    shot = tmp_path / "report.png"
    _run(["--window-size=1100,1600", "--hide-scrollbars", f"--screenshot={shot}", (study.out / "report.html").as_uri()], tmp_path / "profile3")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("QCODE_REPORT_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["QCODE_REPORT_SCREENSHOT"])


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers(study: Study) -> None:
    report = study.report()
    book = openpyxl.load_workbook(study.out / "report.xlsx", read_only=True)
    tables = [(key, name, rows) for key, s in report["sections"].items() for name, rows in s["tables"].items()]
    assert book.sheetnames[0] == "figures"
    assert len(book.sheetnames) == len(tables) + 1
    for sheet_name, (section, name, _rows) in zip(book.sheetnames[1:], tables, strict=True):
        assert sheet_name == f"{section}_{name}"[:31]
    codes = book["codes_codes"]
    rows = list(codes.iter_rows(values_only=True))
    header = list(rows[0])
    share, cases = header.index("share"), header.index("cases_with_code")
    expected = {r["code"]: r for r in report["sections"]["codes"]["tables"]["codes"]}
    for row in rows[1:]:
        code = row[header.index("code")]
        assert isinstance(row[cases], int) and row[cases] == expected[code]["cases_with_code"]
        assert isinstance(row[share], int | float) and row[share] == pytest.approx(expected[code]["share"])
    figures = {(r[0], r[1]): r[2] for r in list(book["figures"].iter_rows(values_only=True))[1:]}
    assert figures[("corpus", "cases")] == 13
    assert isinstance(figures[("size", "chat_duration_mean_minutes")], float)
