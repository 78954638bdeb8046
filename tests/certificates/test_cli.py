"""`flask issue-certificates --event <slug> [--category <id>] --out <dir>`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.certificates.conftest import Contest


def test_the_cli_writes_the_pdfs_and_reports_the_rate(
    app: Any, published: Contest, tmp_path: Path
) -> None:
    out = tmp_path / "piagam"
    result = app.test_cli_runner().invoke(
        args=["issue-certificates", "--event", published.slug, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Newly numbered: 8." in result.output
    assert "Wrote 8 certificates" in result.output and "per second" in result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 8 and files[0] == "001-PIAGAM-BKKBN-JMB-VI-2025 Peserta Nomor 1.pdf"
    assert all((out / name).read_bytes().startswith(b"%PDF") for name in files)
    # Again for one category: nothing new is numbered, its six are written again.
    again = app.test_cli_runner().invoke(
        args=["issue-certificates", "--event", published.slug, "--category",
              str(published.category_id), "--out", str(out), "--workers", "1"]
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "Newly numbered: 0." in again.output and "Wrote 6 certificates" in again.output


def test_the_cli_explains_what_is_wrong(app: Any, contest: Contest, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["issue-certificates", "--event", "nope", "--out", str(tmp_path)])
    assert unknown.exit_code != 0 and "No event with slug 'nope'" in unknown.output
    unpublished = runner.invoke(
        args=["issue-certificates", "--event", contest.slug, "--category",
              str(contest.category_id), "--out", str(tmp_path)]
    )  # fmt: skip
    assert unpublished.exit_code != 0 and "not published" in unpublished.output
