"""Against the real results work (issue 7): publish the demo's Poktan BKB, then issue."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from scoring.models import Category, Certificate, CertificateSettings
from scoring.services import certificates as issuing
from scoring.services.demo import seed_demo

snapshots = pytest.importorskip("scoring.services.snapshots")


def test_certificates_follow_the_published_snapshot(db: Any) -> None:
    seed_demo()
    bkb = db.session.scalar(select(Category).filter_by(name="Poktan BKB Terbaik"))
    doth = db.session.scalar(select(Category).filter_by(name="Duta Orang Tua Hebat"))
    if issuing._awards_for(bkb.id) is None:  # the demo may publish it already
        snapshots.publish_results(bkb.id, None, override_reason="Uji penerbitan piagam")
    awards = issuing._awards_for(bkb.id)
    assert awards is not None and awards[0].award == "Juara I"
    assert issuing._awards_for(doth.id) is None

    settings = db.session.scalar(select(CertificateSettings).filter_by(event_id=bkb.event_id))
    if settings is None:
        settings = CertificateSettings(event_id=bkb.event_id)
        db.session.add(settings)
    settings.signer_name, settings.signer_title, settings.place = "Dr. Penanda", "Kepala", "Jambi"
    db.session.commit()
    assert issuing.issue_category(bkb.id) == len(awards)
    certs = db.session.scalars(select(Certificate).order_by(Certificate.seq)).all()
    by_entry = {row.entry_id: row for row in awards}
    for cert in certs:
        assert cert.award == (by_entry[cert.entry_id].award or "Peserta")
    assert certs[0].name == "BKB Tunas Harapan Kelurahan Talang Banjar"
