"""Public page and berita acara: per-stage parts, the stage reached, and the rule in words."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import delete, select, update

from scoring.extensions import db as _db
from scoring.models import Assignment, Score
from scoring.models.certificate import CertificateSettings
from scoring.services.snapshots import publish_results
from tests.results.support import build_category

SPLIT = re.compile(r'data-testid="stage-split">(.*?)data-testid="stage-reached"', re.S)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def staged_category(slug: str = "uji-tahap") -> dict[str, Any]:
    """The support category where E4 and E6 did not reach "Presentasi" (stage 2), and E5's
    scores make the naive rounding of its parts miss its total by 0,01: stage 1 = 70,04
    (× 60% = 42,024), stage 2 = 70,01 (× 40% = 28,004), total 70,028 → 70,03, while
    42,02 + 28,00 = 70,02."""
    ids = build_category(slug)
    s2 = ids["stage_ids"][1]
    for key in ("E4", "E6"):
        _db.session.execute(
            delete(Assignment).where(
                Assignment.stage_id == s2, Assignment.entry_id == ids["entries"][key]
            )
        )
    for (key, judge, position), criterion, value in (
        (("E5", 0, 2), "A", 72.16),
        (("E5", 0, 3), "C", 7.252),
    ):
        _db.session.execute(
            update(Score)
            .where(
                Score.sheet_id == ids["sheets"][(key, judge, position)],
                Score.criterion_id == ids["criteria"][criterion],
            )
            .values(value=value)
        )
    _db.session.commit()
    assert _db.session.scalar(select(Assignment.id).where(Assignment.stage_id == s2)) is not None
    ids["snapshot_id"] = publish_results(ids["category_id"], None, method="raw").id
    return ids


def test_public_page_shows_stage_parts_that_add_up_and_the_stage_reached(
    app: Flask, client: Any
) -> None:
    with app.app_context():
        ids = staged_category()
    html = client.get(f"/hasil/{ids['slug']}").text
    splits = SPLIT.findall(html)
    assert len(splits) == 6
    for split in splits:
        parts = re.findall(r'class="stage-points">([\d.,]+)<', split)
        (total,) = re.findall(r'class="stage-sum">([\d.,]+)<', split)
        assert sum(map(_number, parts)) == _number(total), split
    e5 = SPLIT.search(html, html.index(ids["names"]["E5"])).group(1)
    rows = re.findall(
        r'class="stage-name">([^<]+)</span>\s*<span class="stage-value">(.*?)</span>\s*</div>',
        e5,
        re.S,
    )
    values = [(name, re.sub(r"<[^>]+>", "", value).split()) for name, value in rows]
    assert values == [
        ("Dokumen", ["42,03", "/", "60"]),
        ("Presentasi", ["28,00", "/", "40"]),
        ("Nilai akhir", ["70,03", "/", "100"]),
    ]
    assert re.search(r'class="stage-sum">70,03</strong> <span class="stage-of">/ 100<', e5)
    e4_split = SPLIT.search(html, html.index(ids["names"]["E4"])).group(1)
    assert re.search(r"Presentasi</span>\s*<span class=\"stage-value\">tidak dicapai", e4_split)
    assert re.search(r'class="stage-sum">42,00</strong> <span class="stage-of">/ 60<', e4_split)
    e4 = html[html.index(ids["names"]["E4"]) :]
    assert re.search(r"Tahap yang dicapai: Dokumen\s*·", e4)
    assert "nilai tertinggi yang mungkin 60<" in e4[:3000]
    e1 = html[html.index(ids["names"]["E1"]) :]
    assert "Tahap yang dicapai: Presentasi\n" in e1[:2000]
    # The entries that stopped after stage 1 rank below those that reached stage 2.
    assert html.index(ids["names"]["E5"]) < html.index(ids["names"]["E4"])
    assert "Dokumen 60%, Presentasi 40%" in html
    assert "paling tinggi 60 bila berhenti setelah Dokumen" in html
    assert "berperingkat di atas semua peserta yang berhenti lebih awal" in html
    assert "kekurangan 0,01 diberikan kepada tahap dengan sisa pembulatan terbesar" in html


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_berita_acara_has_the_stage_parts_the_rule_and_the_signature_block(
    app: Flask, client: Any, login_as: Any
) -> None:
    with app.app_context():
        ids = staged_category()
        _db.session.add(
            CertificateSettings(
                event_id=ids["event_id"],
                signer_name="Dr. Rina Kepala, M.Kes",
                signer_title="Kepala Perwakilan BKKBN Provinsi Jambi",
                signer_nip="197001011995031001",
                place="Jambi",
            )
        )
        _db.session.commit()
    login_as("committee")
    text = _pdf_text(client.get(f"/panitia/hasil/snapshot/{ids['snapshot_id']}.pdf").data)
    flat = " ".join(text.split())
    # Stage columns, the stage reached and the highest possible score, adding up as printed.
    assert "Tahap yang" in text and "bobot 60%" in text and "bobot 40%" in text
    e5 = next(line for line in text.splitlines() if ids["names"]["E5"] in line)
    assert re.search(r"42,03\s+28,00\s+70,03\s+Presentasi\s+Harapan I", e5), e5
    e4 = next(line for line in text.splitlines() if ids["names"]["E4"] in line)
    assert re.search(r"42,00\s+–\s+42,00\s+Dokumen\s+Harapan II", e4), e4
    assert "maks. 60\n" in text
    # The rule and the method in plain words.
    assert "paling tinggi 60 bila berhenti setelah Dokumen" in flat
    assert "dibulatkan ke bawah, lalu kekurangan 0,01 diberikan" in flat
    assert "Setiap juri menilai setiap peserta pada semua kriteria" in flat
    assert "Nilai juri dipakai apa adanya" in flat
    # Signature block: committee chair, chair of the judges, acknowledged by the signer.
    assert "Ketua Panitia," in text and "Ketua Dewan Juri," in text
    assert "Mengetahui," in text
    assert "Kepala Perwakilan BKKBN Provinsi Jambi" in text
    assert "Dr. Rina Kepala, M.Kes" in text and "NIP. 197001011995031001" in text
    assert text.index("Mengetahui,") > text.index("Ketua Dewan Juri,")
    assert "Jambi, " in text
