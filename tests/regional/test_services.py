"""Registration services with a frozen clock: window, quota, completeness, review round trip."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import func, select

from scoring.models import Assignment, AuditEvent, Entry, Registration, StageDecision
from scoring.services.errors import Conflict, InvalidInput, NotFound
from scoring.services.registration import (
    Operator,
    RegistrationData,
    create_registration,
    submit_registration,
    update_registration,
)
from scoring.services.registration_documents import add_document, attachment_for_operator
from scoring.services.registration_review import review_registration
from scoring.services.registration_setup import (
    extend_for_region,
    format_in_zone,
    required_documents,
    zone_for_region,
)
from tests.regional.conftest import CLOSES, DURING, OPENS, PDF, PNG

SECOND = dt.timedelta(seconds=1)


def op_of(world: dict[str, Any], region: str = "kota") -> Operator:
    return Operator(user_id=None, region_id=world[region], event_id=None)  # type: ignore[arg-type]


def register(
    world: dict[str, Any], region: str = "kota", name: str = "BKR Melati", **kw: Any
) -> int:
    data = RegistrationData(name=name, contact_phone="081234567890", **kw)
    return create_registration(op_of(world, region), world["group"], data, kw.pop("now", DURING))


def upload_both(world: dict[str, Any], registration_id: int, region: str = "kota") -> None:
    sk, foto = required_documents(world["group"])
    add_document(op_of(world, region), registration_id, sk.id, "sk.pdf", io.BytesIO(PDF), DURING)
    add_document(
        op_of(world, region), registration_id, foto.id, "foto.png", io.BytesIO(PNG), DURING
    )


def test_window_opens_and_closes_on_time(db: Any, world: dict[str, Any]) -> None:
    op = op_of(world)
    data = RegistrationData(name="BKR Melati")
    with pytest.raises(Conflict):
        create_registration(op, world["group"], data, OPENS - SECOND)
    with pytest.raises(Conflict, match="closed"):
        create_registration(op, world["group"], data, CLOSES)
    registration_id = create_registration(op, world["group"], data, CLOSES - SECOND)
    # After closing, the draft can be read but no longer changed.
    with pytest.raises(Conflict, match="closed"):
        update_registration(op, registration_id, RegistrationData(name="BKR Mawar"), CLOSES)
    assert db.session.get(Registration, registration_id).entry.name == "BKR Melati"


def test_extension_reopens_one_region_only(db: Any, world: dict[str, Any]) -> None:
    later = CLOSES + dt.timedelta(days=2)
    extend_for_region(world["group"], world["kerinci"], later, "Banjir di Kerinci", None)
    after = CLOSES + dt.timedelta(hours=1)
    assert create_registration(
        op_of(world, "kerinci"), world["group"], RegistrationData(name="BKR Kerinci"), after
    )
    with pytest.raises(Conflict):
        create_registration(op_of(world), world["group"], RegistrationData(name="BKR X"), after)
    with pytest.raises(Conflict):
        create_registration(
            op_of(world, "kerinci"), world["person"], RegistrationData(name="Y"), after
        )
    audit = db.session.scalar(select(AuditEvent).filter_by(action="registration.extend"))
    assert audit.after["reason"] == "Banjir di Kerinci"


def test_extension_needs_a_reason(db: Any, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        extend_for_region(world["group"], world["kota"], CLOSES + SECOND, "  ", None)


def test_quota_per_region_holds(db: Any, world: dict[str, Any]) -> None:
    register(world)
    with pytest.raises(Conflict, match="quota"):
        register(world, name="BKR Kedua")
    register(world, region="kerinci", name="BKR Kerinci")  # another region has its own quota
    count = db.session.scalar(select(func.count(Entry.id)).where(Entry.region_id == world["kota"]))
    assert count == 1


def test_incomplete_registration_cannot_be_sent(db: Any, world: dict[str, Any]) -> None:
    registration_id = register(world)
    sk, foto = required_documents(world["group"])
    add_document(op_of(world), registration_id, sk.id, "sk.pdf", io.BytesIO(PDF), DURING)
    with pytest.raises(InvalidInput) as error:
        submit_registration(op_of(world), registration_id, True, DURING)
    assert error.value.params["names"] == "Foto kegiatan"
    add_document(op_of(world), registration_id, foto.id, "f.png", io.BytesIO(PNG), DURING)
    with pytest.raises(InvalidInput, match="Confirm"):
        submit_registration(op_of(world), registration_id, False, DURING)
    submit_registration(op_of(world), registration_id, True, DURING)
    registration = db.session.get(Registration, registration_id)
    assert (registration.status, registration.submitted_at) == ("submitted", DURING)
    with pytest.raises(Conflict):  # sent: no more changes
        update_registration(op_of(world), registration_id, RegistrationData(name="X"), DURING)


def test_document_type_and_size_follow_the_requirement(db: Any, world: dict[str, Any]) -> None:
    registration_id = register(world)
    sk, _foto = required_documents(world["group"])
    with pytest.raises(InvalidInput, match="must be one of"):
        add_document(op_of(world), registration_id, sk.id, "sk.pdf", io.BytesIO(PNG), DURING)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(InvalidInput, match="larger"):
        add_document(op_of(world), registration_id, sk.id, "sk.pdf", io.BytesIO(big), DURING)


def test_another_regions_registration_is_not_found(db: Any, world: dict[str, Any]) -> None:
    registration_id = register(world)
    upload_both(world, registration_id)
    kerinci = op_of(world, "kerinci")
    with pytest.raises(NotFound):
        update_registration(kerinci, registration_id, RegistrationData(name="Hack"), DURING)
    with pytest.raises(NotFound):
        submit_registration(kerinci, registration_id, True, DURING)
    sk, _foto = required_documents(world["group"])
    with pytest.raises(NotFound):
        add_document(kerinci, registration_id, sk.id, "x.pdf", io.BytesIO(PDF), DURING)
    from scoring.models import Attachment

    attachment_id = db.session.scalar(select(Attachment.id).limit(1))
    with pytest.raises(NotFound):
        attachment_for_operator(attachment_id, kerinci)
    assert attachment_for_operator(attachment_id, op_of(world))[0].id == attachment_id


def test_needs_correction_round_trip_then_pass_flows_to_judges(
    db: Any, world: dict[str, Any]
) -> None:
    registration_id = register(world)
    upload_both(world, registration_id)
    submit_registration(op_of(world), registration_id, True, DURING)
    with pytest.raises(InvalidInput):  # a correction request says why
        review_registration(registration_id, "needs_correction", " ", None, DURING)
    review_registration(
        registration_id, "needs_correction", "SK belum ditandatangani", None, DURING
    )
    registration = db.session.get(Registration, registration_id)
    assert (registration.status, registration.review_reason) == (
        "needs_correction",
        "SK belum ditandatangani",
    )
    # Reopened for the region even though the window has closed meanwhile.
    late = CLOSES + dt.timedelta(days=3)
    update_registration(
        op_of(world), registration_id, RegistrationData(name="BKR Melati Jaya"), late
    )
    submit_registration(op_of(world), registration_id, True, late)
    assert db.session.get(Registration, registration_id).status == "submitted"
    result = review_registration(registration_id, "pass", "", None, late)
    # Three active judges; juri1 comes from Kota Jambi and may not score it.
    assert (result.status, result.assigned) == ("passed", 2)
    entry_id = db.session.get(Registration, registration_id).entry_id
    judges = set(db.session.scalars(select(Assignment.judge_id).filter_by(entry_id=entry_id)))
    assert judges == {world["judges"][1], world["judges"][2]}
    decision = db.session.scalar(select(StageDecision).filter_by(entry_id=entry_id))
    assert decision.outcome == "pass"
    with pytest.raises(Conflict):  # decided once
        review_registration(registration_id, "fail", "dobel", None, late)


def test_fail_records_the_reason_as_the_stage_decision(db: Any, world: dict[str, Any]) -> None:
    registration_id = register(world)
    upload_both(world, registration_id)
    submit_registration(op_of(world), registration_id, True, DURING)
    review_registration(registration_id, "fail", "Bukan Poktan BKR", None, DURING)
    decision = db.session.scalar(select(StageDecision))
    assert (decision.outcome, decision.reason) == ("fail", "Bukan Poktan BKR")
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_consent_is_required_before_personal_data(db: Any, world: dict[str, Any]) -> None:
    op = op_of(world)
    data = RegistrationData(name="Siti Aminah", contact_phone="081234567890")
    with pytest.raises(InvalidInput) as error:
        create_registration(op, world["person"], data, DURING)
    columns = {p.column for p in error.value.problems}
    assert columns == {"persetujuan", "persetujuan_oleh"}
    assert db.session.scalar(select(func.count(Entry.id))) == 0  # nothing stored
    data.consent, data.consent_by = True, "Siti Aminah (peserta)"
    registration = db.session.get(
        Registration, create_registration(op, world["person"], data, DURING)
    )
    assert registration.consent_by == "Siti Aminah (peserta)"
    assert registration.entry.consent_at == DURING
    assert registration.entry.consent_version == "2025-1"


def test_times_show_in_the_host_regions_zone(db: Any, world: dict[str, Any]) -> None:
    from scoring.models import Region

    jambi = db.session.get(Region, world["province"])
    assert format_in_zone(CLOSES, zone_for_region(jambi)) == "31 Mar 2026 23.59 WIB"
    sulsel = Region(code="73", name="Sulawesi Selatan", level="provinsi")
    papua = Region(code="91", name="Papua", level="provinsi")
    assert format_in_zone(CLOSES, zone_for_region(sulsel)) == "1 Apr 2026 00.59 WITA"
    assert format_in_zone(CLOSES, zone_for_region(papua)) == "1 Apr 2026 01.59 WIT"


def test_only_passed_registrations_are_admitted(db: Any, world: dict[str, Any]) -> None:
    from scoring.services.registration_review import not_admitted_entry_ids

    registration_id = register(world)
    entry_id = db.session.get(Registration, registration_id).entry_id
    assert set(db.session.scalars(not_admitted_entry_ids())) == {entry_id}
    upload_both(world, registration_id)
    submit_registration(op_of(world), registration_id, True, DURING)
    review_registration(registration_id, "pass", "", None, DURING)
    assert set(db.session.scalars(not_admitted_entry_ids())) == set()


def test_a_registration_of_a_published_category_waits_for_the_results_to_be_withdrawn(
    db: Any, world: dict[str, Any]
) -> None:
    from scoring.models import ResultSnapshot

    registration_id = register(world)
    upload_both(world, registration_id)
    submit_registration(op_of(world), registration_id, True, DURING)
    snapshot = ResultSnapshot(
        category_id=world["group"], version=1, method="raw", options={}, inputs={},
        outputs={}, code_version="uji", sha256="0" * 64,
    )  # fmt: skip
    db.session.add(snapshot)
    db.session.commit()
    with pytest.raises(Conflict):  # passing it would add an entry to the announced ranking
        review_registration(registration_id, "pass", "", None, DURING)
    assert db.session.get(Registration, registration_id).status == "submitted"
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    from scoring.services.snapshots import unpublish_results

    unpublish_results(world["group"], None, "Salah hitung")
    assert review_registration(registration_id, "pass", "", None, DURING).assigned == 2
