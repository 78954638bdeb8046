"""The Jambi 2025 demo (see shared DOMAIN.md): regions, accounts, an event with two categories.

Idempotent: every row is looked up by its natural key and created only when missing; scores are
generated only for sheets created in the same run, so a second run (or a run after judges have
worked) changes nothing. Random numbers come from fixed seeds, so every machine gets the same demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from random import Random
from typing import Any

from sqlalchemy import select

from scoring.extensions import db
from scoring.models import (
    Assignment,
    Category,
    Criterion,
    Entry,
    Event,
    EventMember,
    Region,
    Score,
    ScoreSheet,
    Stage,
    StageDecision,
    User,
)
from scoring.models.event import DEFAULT_BANDS
from scoring.services.access_codes import generate_code, hash_code

EVENT_SLUG = "jambi-2025"
EVENT_NAME = "Pemilihan Poktan Terbaik dan Duta Orang Tua Hebat Tingkat Provinsi Jambi Tahun 2025"
CONSENT_VERSION = "2025-1"

PROVINCE = ("15", "Jambi")
REGIONS = [
    ("15.01", "Kerinci", "kabupaten"),
    ("15.02", "Merangin", "kabupaten"),
    ("15.03", "Sarolangun", "kabupaten"),
    ("15.04", "Batanghari", "kabupaten"),
    ("15.05", "Muaro Jambi", "kabupaten"),
    ("15.06", "Tanjung Jabung Barat", "kabupaten"),
    ("15.07", "Tanjung Jabung Timur", "kabupaten"),
    ("15.08", "Bungo", "kabupaten"),
    ("15.09", "Tebo", "kabupaten"),
    ("15.71", "Kota Jambi", "kota"),
    ("15.72", "Kota Sungai Penuh", "kota"),
]

# (email, password, name, role, home region code, severity added to every score)
ACCOUNTS = [
    ("admin@demo.juara.id", "demo-admin", "Administrator Juara", "admin", None, 0),
    ("panitia@demo.juara.id", "demo-panitia", "Rina Marlina, S.Sos.", "committee", "15.71", 0),
    ("juri1@demo.juara.id", "demo-juri", "Dr. Hendra Saputra, M.Kes.", "judge", "15.71", 0),
    ("juri2@demo.juara.id", "demo-juri", "Dra. Yusnidar, M.Pd.", "judge", "15.01", -9),  # harsh
    ("juri3@demo.juara.id", "demo-juri", "Ir. Bambang Wijaya", "judge", "15.08", 1),
    (
        "juri4@demo.juara.id",
        "demo-juri",
        "Nurhayati, S.KM., M.P.H.",
        "judge",
        "15.05",
        8,
    ),  # lenient
    ("juri5@demo.juara.id", "demo-juri", "Ahmad Fauzi, S.Psi.", "judge", "15.04", -2),
]

LIKERT_BANDS = [
    {"min": 1, "max": 1, "label": "Sangat kurang"},
    {"min": 2, "max": 2, "label": "Kurang"},
    {"min": 3, "max": 3, "label": "Cukup"},
    {"min": 4, "max": 4, "label": "Baik"},
    {"min": 5, "max": 5, "label": "Sangat baik"},
]

# Criterion: (name, description, weight, tie-break order, min, max)
Crit = tuple[str, str, float, int | None, float, float]

BKB_STAGES: list[dict[str, Any]] = [
    {"name": "Seleksi Administrasi", "kind": "pass_fail", "weight": 0, "criteria": []},
    {
        "name": "Penilaian Dokumen",
        "weight": 30,
        "criteria": [
            (
                "Kelembagaan",
                "SK pembentukan, struktur pengurus, dan pembagian tugas kader.",
                20,
                None,
                1,
                100,
            ),
            (
                "Pelaksanaan kegiatan",
                "Keteraturan pertemuan penyuluhan dan kunjungan rumah.",
                30,
                1,
                1,
                100,
            ),
            (
                "Cakupan sasaran",
                "Persentase keluarga balita yang aktif mengikuti kegiatan BKB.",
                20,
                None,
                1,
                100,
            ),
            ("Inovasi", "Kegiatan atau media baru yang dikembangkan kelompok.", 20, 2, 1, 100),
            (
                "Pencatatan dan pelaporan",
                "Kelengkapan dan ketepatan waktu register dan laporan.",
                10,
                3,
                1,
                100,
            ),
        ],
    },
    {
        "name": "Presentasi dan Wawancara",
        "weight": 30,
        "advance": 3,
        "criteria": [
            (
                "Penguasaan materi",
                "Pemahaman pengurus tentang pengasuhan balita dan program BKB.",
                40,
                1,
                1,
                100,
            ),
            (
                "Kualitas penyajian",
                "Sistematika, ketepatan waktu, dan media presentasi.",
                30,
                None,
                1,
                100,
            ),
            (
                "Kemampuan menjawab",
                "Ketepatan dan kejelasan jawaban atas pertanyaan juri.",
                30,
                2,
                1,
                100,
            ),
        ],
    },
    {
        "name": "Verifikasi Lapangan",
        "weight": 40,
        "criteria": [
            (
                "Kesesuaian data dan dokumen",
                "Data di lapangan sesuai dengan dokumen yang dikirim.",
                40,
                1,
                1,
                100,
            ),
            (
                "Kegiatan di lapangan",
                "Kegiatan yang berjalan saat kunjungan dan partisipasi keluarga.",
                40,
                2,
                1,
                100,
            ),
            (
                "Dukungan pemangku kepentingan",
                "Dukungan desa/kelurahan, PKK, dan OPD KB.",
                20,
                None,
                1,
                100,
            ),
        ],
    },
]

DOTH_STAGES: list[dict[str, Any]] = [
    {"name": "Seleksi Administrasi", "kind": "pass_fail", "weight": 0, "criteria": []},
    {
        "name": "Penilaian Portofolio",
        "weight": 40,
        "criteria": [
            (
                "Pengetahuan pengasuhan",
                "Pemahaman tentang tumbuh kembang dan pengasuhan anak.",
                25,
                None,
                1,
                100,
            ),
            (
                "Praktik pengasuhan",
                "Penerapan pengasuhan positif dalam keluarga sehari-hari.",
                30,
                1,
                1,
                100,
            ),
            (
                "Keaktifan di BKB",
                "Kehadiran dan peran dalam kegiatan Poktan BKB.",
                15,
                None,
                1,
                100,
            ),
            ("Keteladanan", "Menjadi contoh bagi keluarga lain di lingkungannya.", 20, 2, 1, 100),
            ("Komunikasi", "Komunikasi yang hangat dengan pasangan dan anak.", 10, None, 1, 100),
        ],
    },
    {
        "name": "Presentasi dan Wawancara",
        "weight": 60,
        "criteria": [
            (
                "Penguasaan materi pengasuhan",
                "Menjelaskan praktik pengasuhan dengan contoh nyata.",
                40,
                1,
                1,
                100,
            ),
            ("Kemampuan komunikasi", "Runtut, percaya diri, dan mudah dipahami.", 30, 2, 1, 100),
            (
                "Kesan umum juri",
                "Skala 1–5: kesan menyeluruh sebagai teladan orang tua.",
                30,
                None,
                1,
                5,
            ),
        ],
    },
]

# (region code, name, true quality): the top three are well apart so any method agrees on them.
BKB_ENTRIES = [
    ("15.01", "BKB Melati Desa Semurup", 71),
    ("15.02", "BKB Kenanga Kelurahan Pasar Bangko", 65),
    ("15.03", "BKB Mawar Desa Pelawan", 62),
    ("15.04", "BKB Anggrek Kelurahan Muara Bulian", 74),
    ("15.05", "BKB Cempaka Desa Mendalo Darat", 80),
    ("15.06", "BKB Seroja Kelurahan Kuala Tungkal", 58),
    ("15.07", "BKB Teratai Desa Simpang", 67),
    ("15.08", "BKB Dahlia Kelurahan Bungo Barat", 69),
    ("15.09", "BKB Kemuning Desa Sungai Alai", 72),
    ("15.71", "BKB Tunas Harapan Kelurahan Talang Banjar", 88),
    ("15.72", "BKB Permata Hati Desa Koto Lolo", 84),
]

DOTH_ENTRIES = [
    ("15.01", "Siti Aminah", 76),
    ("15.02", "Rahmat Hidayat", 70),
    ("15.03", "Nur Aisyah", 82),
    ("15.04", "Dewi Kartika Sari", 68),
    ("15.05", "Sri Wahyuni", 79),
    ("15.06", "Muhammad Ridwan", 73),
    ("15.08", "Yuliana Putri", 85),
    ("15.09", "Eka Susanti", 66),
    ("15.71", "Fitriani", 77),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    access_codes: dict[str, str] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def _get_or_create(report: SeedReport, model: type, lookup: dict[str, Any], **defaults: Any) -> Any:
    row = db.session.scalar(select(model).filter_by(**lookup))
    if row is None:
        row = model(**lookup, **defaults)
        db.session.add(row)
        db.session.flush()
        report.count(model.__name__)
    return row


def seed_demo() -> SeedReport:
    """Create whatever of the demo is missing and commit."""
    report = SeedReport()
    regions = _seed_regions(report)
    users = _seed_accounts(report, regions)
    event = _get_or_create(
        report,
        Event,
        {"slug": EVENT_SLUG},
        name=EVENT_NAME,
        level="provinsi",
        host_region_id=regions[PROVINCE[0]].id,
        place="Jambi",
        starts_on=dt.date(2025, 6, 23),
        ends_on=dt.date(2025, 6, 27),
        status="scoring",
    )
    judges = [users[email] for email, *_ in ACCOUNTS if email.startswith("juri")]
    severity = {users[a[0]].id: a[5] for a in ACCOUNTS}

    bkb = _seed_category(report, event, 1, "Poktan BKB Terbaik", "Poktan BKB", "group")
    bkb_stages = _seed_stages(report, bkb, BKB_STAGES, open_position=None)
    bkb_entries = _seed_entries(report, bkb, regions, BKB_ENTRIES, person=False)
    rng = Random("juara-demo-2025-bkb")  # noqa: S311 - reproducible demo data, not security
    quality = {e.id: q for e, q in bkb_entries}
    entries = [e for e, _ in bkb_entries]
    for stage in bkb_stages[1:3]:
        _seed_sheets(report, stage, entries, judges, quality, severity, rng, lambda *_: "submitted")
    finalists = _finalists(bkb_stages[1:3], entries, k=bkb_stages[2].advance_count or 3)
    _seed_sheets(
        report, bkb_stages[3], finalists, judges, quality, severity, rng, lambda *_: "submitted"
    )

    doth = _seed_category(
        report, event, 2, "Duta Orang Tua Hebat", "Duta Orang Tua Hebat", "person"
    )
    doth_stages = _seed_stages(report, doth, DOTH_STAGES, open_position=3)
    doth_entries = _seed_entries(report, doth, regions, DOTH_ENTRIES, person=True)
    rng = Random("juara-demo-2025-doth")  # noqa: S311
    quality = {e.id: q for e, q in doth_entries}
    entries = [e for e, _ in doth_entries]
    _seed_sheets(
        report, doth_stages[1], entries, judges, quality, severity, rng, lambda *_: "submitted"
    )
    _seed_sheets(
        report, doth_stages[2], entries, judges, quality, severity, rng, _presentation_state
    )
    # Seleksi administrasi (issue 5): every demo entry passed, as the scored stages assume.
    committee = users["panitia@demo.juara.id"]
    # Event membership (issue 9): the demo committee account works on the demo event.
    _get_or_create(
        report, EventMember, {"event_id": event.id, "user_id": committee.id}, added_by=None
    )
    for stage, seeded in ((bkb_stages[0], bkb_entries), (doth_stages[0], doth_entries)):
        _seed_passes(report, stage, [e for e, _ in seeded], committee)
    # Regional registration (issue 11): jambi-2026 open for registration, two operators.
    from scoring.services.demo_registration import seed_demo_registration

    seed_demo_registration(report, committee)
    db.session.commit()
    # results (issue 7): the Poktan BKB ranking is published, so /hasil/jambi-2025 shows it.
    from scoring.results.demo import seed_demo_results

    if seed_demo_results(bkb.id, actor_id=users["admin@demo.juara.id"].id):
        report.count("ResultSnapshot")
    # certificates (issue 8): a (made-up) signer, so the committee can issue at once.
    from scoring.certificates.settings import seed_demo_settings

    seed_demo_settings(event.id)
    return report


def _seed_passes(report: SeedReport, stage: Stage, entries: list[Entry], by: User) -> None:
    when = dt.datetime(2025, 6, 16, 2, 0, tzinfo=dt.UTC)
    for entry in entries:
        lookup = {"stage_id": stage.id, "entry_id": entry.id}
        _get_or_create(
            report, StageDecision, lookup, outcome="pass", decided_by_id=by.id, decided_at=when
        )


def _seed_regions(report: SeedReport) -> dict[str, Region]:
    province = _get_or_create(
        report, Region, {"code": PROVINCE[0]}, name=PROVINCE[1], level="provinsi"
    )
    regions = {province.code: province}
    for code, name, level in REGIONS:
        regions[code] = _get_or_create(
            report, Region, {"code": code}, name=name, level=level, parent_id=province.id
        )
    return regions


def _seed_accounts(report: SeedReport, regions: dict[str, Region]) -> dict[str, User]:
    users = {}
    for email, password, name, role, home, _severity in ACCOUNTS:
        user = db.session.scalar(select(User).filter_by(email=email))
        if user is None:
            user = User(
                email=email,
                name=name,
                role=role,
                home_region_id=regions[home].id if home else None,
            )
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
            report.count("User")
        users[email] = user
    return users


def _seed_category(
    report: SeedReport, event: Event, position: int, name: str, kind: str, entry_kind: str
) -> Category:
    return _get_or_create(
        report,
        Category,
        {"event_id": event.id, "name": name},
        position=position,
        kind=kind,
        entry_kind=entry_kind,
    )


def _seed_stages(
    report: SeedReport, category: Category, specs: list[dict[str, Any]], open_position: int | None
) -> list[Stage]:
    stages = []
    for position, spec in enumerate(specs, start=1):
        stage = _get_or_create(
            report,
            Stage,
            {"category_id": category.id, "position": position},
            name=spec["name"],
            kind=spec.get("kind", "scored"),
            weight=spec["weight"],
            advance_count=spec.get("advance"),
            status="open" if position == open_position else "closed",
        )
        for order, (name, description, weight, tiebreak, low, high) in enumerate(
            spec["criteria"], start=1
        ):
            _get_or_create(
                report,
                Criterion,
                {"stage_id": stage.id, "position": order},
                name=name,
                description=description,
                weight=weight,
                tiebreak_order=tiebreak,
                min_score=low,
                max_score=high,
                bands=LIKERT_BANDS if high == 5 else DEFAULT_BANDS,
            )
        stages.append(stage)
    return stages


def _seed_entries(
    report: SeedReport,
    category: Category,
    regions: dict[str, Region],
    specs: list[tuple[str, str, int]],
    person: bool,
) -> list[tuple[Entry, int]]:
    result = []
    for code, name, quality in specs:
        rng = Random(f"juara-demo-access-{category.name}-{code}")  # noqa: S311 - demo codes
        access_code = generate_code(rng)
        extra: dict[str, Any] = {
            "contact_name": name if person else f"Ketua {name.split(' ')[1]}",
            "contact_phone": f"0812{rng.randrange(10**7, 10**8)}",
            "access_code_hash": hash_code(access_code),
        }
        if person:
            extra["consent_at"] = dt.datetime(2025, 5, 12, 2, 0, tzinfo=dt.UTC)
            extra["consent_version"] = CONSENT_VERSION
        entry = _get_or_create(
            report,
            Entry,
            {"category_id": category.id, "region_id": regions[code].id, "name": name},
            **extra,
        )
        report.access_codes[f"{category.name} · {name}"] = access_code
        result.append((entry, quality))
    return result


def _presentation_state(judge_index: int, entry_index: int) -> str:
    """Half-way through the presentation day: some sheets sent, some started, most to do."""
    slot = (judge_index + 2 * entry_index) % 5
    return {0: "submitted", 1: "submitted", 2: "draft"}.get(slot, "empty")


def _seed_sheets(
    report: SeedReport,
    stage: Stage,
    entries: list[Entry],
    judges: list[User],
    quality: dict[int, int],
    severity: dict[int, int],
    rng: Random,
    state_of: Any,
) -> None:
    """Assign every judge to every entry outside their home region, with a sheet each."""
    criteria = stage.criteria
    for entry_index, entry in enumerate(entries):
        for judge_index, judge in enumerate(judges):
            if judge.home_region_id == entry.region_id:
                continue  # conflict of interest: never judge your own region
            lookup = {"stage_id": stage.id, "entry_id": entry.id, "judge_id": judge.id}
            assignment = db.session.scalar(select(Assignment).filter_by(**lookup))
            if assignment is not None:
                continue
            assignment = Assignment(**lookup)
            db.session.add(assignment)
            state = state_of(judge_index, entry_index)
            sheet = ScoreSheet(assignment=assignment, status="draft", version=0)
            db.session.add(sheet)
            report.count("Assignment")
            if state == "empty":
                continue
            filled = criteria if state == "submitted" else criteria[: max(1, len(criteria) - 1)]
            for criterion in filled:
                percent = quality[entry.id] + severity[judge.id] + rng.gauss(0, 3.5)
                db.session.add(
                    Score(
                        sheet=sheet, criterion_id=criterion.id, value=_on_scale(criterion, percent)
                    )
                )
            sheet.version = 1
            if state == "submitted":
                sheet.status = "submitted"
                sheet.submitted_at = dt.datetime(2025, 6, 24, 3, 0, tzinfo=dt.UTC)
    db.session.flush()


def _on_scale(criterion: Criterion, percent: float) -> float:
    """A 0–100 quality expressed on the criterion's own scale (1–100 or 1–5), clipped."""
    value = round(percent / 100 * criterion.max_score)
    return float(min(criterion.max_score, max(criterion.min_score, value)))


def _finalists(stages: list[Stage], entries: list[Entry], k: int) -> list[Entry]:
    """The entries with the best raw weighted mean over `stages`, for the field visit.

    Each sheet's total is its weighted percentage of the maximum; an entry's stage score is the
    mean over its sheets, so an entry with one judge fewer (a conflict) is not penalised.
    """
    ids = [e.id for e in entries]
    rows = db.session.execute(
        select(
            Assignment.entry_id,
            Stage.id,
            Stage.weight,
            ScoreSheet.id,
            Criterion.weight,
            Criterion.max_score,
            Score.value,
        )
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(Stage, Stage.id == Assignment.stage_id)
        .where(Assignment.stage_id.in_([s.id for s in stages]), Assignment.entry_id.in_(ids))
    ).all()
    sheets: dict[tuple[int, int, float, int], list[float]] = {}
    for entry_id, stage_id, stage_weight, sheet_id, weight, high, value in rows:
        key = (entry_id, stage_id, stage_weight, sheet_id)
        acc = sheets.setdefault(key, [0.0, 0.0])
        acc[0] += weight * value / high * 100
        acc[1] += weight
    per_stage: dict[tuple[int, int, float], list[float]] = {}
    for (entry_id, stage_id, stage_weight, _sheet), (weighted, weights) in sheets.items():
        per_stage.setdefault((entry_id, stage_id, stage_weight), []).append(weighted / weights)
    totals: dict[int, float] = dict.fromkeys(ids, 0.0)
    for (entry_id, _stage, stage_weight), values in per_stage.items():
        totals[entry_id] += stage_weight * sum(values) / len(values)
    return sorted(entries, key=lambda e: totals[e.id], reverse=True)[:k]
