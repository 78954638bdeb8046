"""Issuing: numbers once and stable, published results only, revoke, reissue, settings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from scoring.certificates import revisions, storage
from scoring.certificates.queries import verification
from scoring.certificates.settings import get_settings, update_settings
from scoring.models import AuditEvent, Certificate, CertificateRevision, Entry
from scoring.services import certificates as issuing
from scoring.services.errors import Conflict, InvalidInput
from tests.certificates.conftest import (
    Contest,
    FakeAward,
    build_contest,
    decode_qr,
    needs_tools,
    pdf_text,
)


def _certs(db: Any) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).order_by(Certificate.seq)))


def test_numbers_winners_first_then_participants_then_judges(db: Any, published: Contest) -> None:
    assert issuing.issue_category(published.category_id) == 6
    assert issuing.issue_judges(published.event_id) == 2
    certs = _certs(db)
    assert [c.number for c in certs] == [f"{n:03d}/PIAGAM/BKKBN-JMB/VI/2025" for n in range(1, 9)]
    assert [c.award for c in certs] == [
        "Juara I", "Juara II", "Juara III", "Peserta", "Peserta", "Peserta",
        "Dewan Juri", "Dewan Juri",
    ]  # fmt: skip
    assert [c.kind for c in certs[:4]] == ["winner", "winner", "winner", "participant"]
    first = certs[0]
    assert (first.name, first.region_name, first.category_name) == (
        "Peserta Nomor 1", "Kota Jambi", "Duta Orang Tua Hebat",
    )  # fmt: skip
    assert certs[1].region_name == "Kabupaten Kerinci"
    assert certs[6].kind == "judge" and certs[6].region_name is None
    assert len({c.token for c in certs}) == 8 and all(len(c.token) == 22 for c in certs)
    audited = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "certificate.issue")
    )
    assert audited == 8


def test_issuing_again_keeps_every_number(db: Any, published: Contest, awards: dict) -> None:
    issuing.issue_category(published.category_id)
    before = {c.entry_id: (c.number, c.token) for c in _certs(db)}
    # The ranking changes and one more entry appears: old numbers stay, the new one comes next.
    first = db.session.get(Entry, published.entry_ids[0])
    extra = Entry(category_id=published.category_id, region_id=first.region_id, name="Baru")
    db.session.add(extra)
    db.session.commit()
    awards[published.category_id] = [*reversed(awards[published.category_id]),
                                     FakeAward(extra.id, 7, None, 10.0)]  # fmt: skip
    assert issuing.issue_category(published.category_id) == 1
    after = {c.entry_id: (c.number, c.token) for c in _certs(db)}
    assert {k: after[k] for k in before} == before
    assert after[extra.id][0] == "007/PIAGAM/BKKBN-JMB/VI/2025"


def test_only_published_results_get_certificates(db: Any, contest: Contest) -> None:
    with pytest.raises(Conflict) as caught:
        issuing.issue_category(contest.category_id)
    assert "not published" in caught.value.message
    assert _certs(db) == []


def test_incomplete_settings_are_refused(app: Any, awards: dict) -> None:
    with app.app_context():
        contest = build_contest(complete_settings=False)
        awards[contest.category_id] = [FakeAward(contest.entry_ids[0], 1, "Juara I", 90.0)]
        with pytest.raises(InvalidInput):
            issuing.issue_category(contest.category_id)


@needs_tools
def test_revoke_then_reissue_keeps_the_number(db: Any, published: Contest, tmp_path: Path) -> None:
    issuing.issue_category(published.category_id)
    cert = _certs(db)[0]
    cert_id, number, old_token = cert.id, cert.number, cert.token
    first_pdf = revisions.certificate_pdf(cert_id)
    old_file = storage.pdf_dir() / f"{old_token}.pdf"
    assert old_file.exists()

    revisions.revoke_certificate(cert_id, "  Nama salah ketik  ")
    result = verification(old_token)
    assert result is not None and not result.valid
    with pytest.raises(Conflict):
        revisions.revoke_certificate(cert_id, "lagi")
    with pytest.raises(InvalidInput):
        revisions.revoke_certificate(cert_id, "   ")

    entry = db.session.get(Entry, published.entry_ids[0])
    entry.name = "Peserta Nomor Satu"
    db.session.commit()
    new = revisions.reissue_certificate(cert_id)
    assert (new.number, new.revision, new.status, new.name) == (
        number,
        2,
        "valid",
        "Peserta Nomor Satu",
    )
    assert new.token != old_token and new.revoke_reason is None
    assert not old_file.exists()  # the old PDF is gone
    archived = db.session.scalar(select(CertificateRevision).filter_by(certificate_id=cert_id))
    assert (archived.revision, archived.token, archived.name) == (1, old_token, "Peserta Nomor 1")
    assert archived.revoke_reason == "Nama salah ketik"
    old, current = verification(old_token), verification(new.token)
    assert old is not None and not old.valid and old.name == "Peserta Nomor 1"
    assert current is not None and current.valid and current.number == number

    pdf = revisions.certificate_pdf(cert_id)
    assert pdf != first_pdf
    assert "Peserta Nomor Satu" in pdf_text(pdf, tmp_path)
    assert decode_qr(pdf, tmp_path) == [f"https://juara.example.go.id/verifikasi/{new.token}"]


def test_the_stored_pdf_is_served_and_a_tampered_one_rendered_again(
    db: Any, published: Contest
) -> None:
    issuing.issue_category(published.category_id)
    cert = _certs(db)[0]
    pdf = revisions.certificate_pdf(cert.id)
    db.session.expire_all()
    cert = db.session.get(Certificate, cert.id)
    assert cert.pdf_name == f"{cert.token}.pdf" and cert.pdf_sha256
    assert revisions.certificate_pdf(cert.id) == pdf
    (storage.pdf_dir() / cert.pdf_name).write_bytes(b"%PDF-forged")
    assert revisions.certificate_pdf(cert.id).startswith(b"%PDF-1")


def test_settings_validate_number_format_and_nip(db: Any, contest: Contest) -> None:
    values = {"title": "PIAGAM PENGHARGAAN", "signer_name": "A", "signer_title": "B",
              "signer_nip": "", "place": "Jambi", "org_code": "BKKBN-JMB",
              "number_format": "{seq:03d}/{bulan}/{year}", "issue_date": None}  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        update_settings(contest.event_id, values)
    assert caught.value.field == "number_format" and caught.value.params["token"] == "{bulan}"
    with pytest.raises(InvalidInput) as caught:
        update_settings(contest.event_id, {**values, "number_format": "{org}/{year}"})
    assert "{seq}" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        update_settings(contest.event_id, {**values, "number_format": "{seq}", "signer_nip": "123"})
    assert caught.value.field == "signer_nip"
    saved = update_settings(
        contest.event_id,
        {
            **values,
            "number_format": "{seq}/SERT/{org}/{year}",
            "signer_nip": "1968 0512 1994 0310 03",
        },
    )
    assert (saved.number_format, saved.signer_nip) == (
        "{seq}/SERT/{org}/{year}",
        "196805121994031003",
    )


def _png(size: tuple[int, int], mode: str = "RGBA") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else "red").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_uploaded_images_become_one_optimised_jpeg(db: Any, contest: Contest) -> None:
    settings = get_settings(contest.event_id)
    values = {k: getattr(settings, k) for k in ("title", "signer_name", "signer_title",
              "signer_nip", "place", "org_code", "number_format", "issue_date")}  # fmt: skip
    saved = update_settings(
        contest.event_id, values, logo=_png((900, 900)), background=_png((3508, 2480), "RGB")
    )
    logo = storage.media_dir() / saved.logo_name
    background = storage.media_dir() / saved.background_name
    with Image.open(logo) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB") and max(image.size) <= 600
    with Image.open(background) as image:
        assert image.format == "JPEG" and image.size == (1754, 1240)
    # Replacing the logo removes the old file; removing the background too.
    saved = update_settings(contest.event_id, values, logo=_png((100, 100)), remove_background=True)
    assert not logo.exists() and not background.exists()
    assert saved.background_name is None and saved.logo_name.endswith(".jpg")


@pytest.mark.parametrize(
    "payload", [b"GIF89a....", b"%PDF-1.7 not an image", b"\x89PNG\r\n\x1a\n broken"]
)
def test_other_files_are_refused_as_images(db: Any, contest: Contest, payload: bytes) -> None:
    settings = get_settings(contest.event_id)
    values = {k: getattr(settings, k) for k in ("title", "signer_name", "signer_title",
              "signer_nip", "place", "org_code", "number_format", "issue_date")}  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        update_settings(contest.event_id, values, background=io.BytesIO(payload))
    assert caught.value.field == "background"
    assert not any(storage.media_dir().glob("*.jpg")) if storage.media_dir().exists() else True


def test_concurrent_issuing_never_shares_a_number(app: Any, published: Contest) -> None:
    """Two committee members press "issue all" at once (category and judges): one lock."""
    import threading

    errors: list[BaseException] = []

    def run(work: Any) -> None:
        try:
            with app.app_context():
                work()
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(lambda: issuing.issue_category(published.category_id),)),
        threading.Thread(target=run, args=(lambda: issuing.issue_judges(published.event_id),)),
        threading.Thread(target=run, args=(lambda: issuing.issue_category(published.category_id),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        from scoring.extensions import db

        seqs = sorted(db.session.scalars(select(Certificate.seq)))
    assert seqs == list(range(1, 9))
