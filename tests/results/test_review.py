"""The committee's review page of a category, and publishing from it."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from scoring.extensions import db as _db
from scoring.models import Category
from scoring.models.results import ResultSnapshot
from tests.conftest import csrf_token_from
from tests.results.support import build_category


def test_review_page_explains_the_ranking(app: Flask, client: Any, login_as: Any) -> None:
    with app.app_context():
        ids = build_category()
    login_as("committee")
    response = client.get(f"/panitia/hasil/kategori/{ids['category_id']}")
    assert response.status_code == 200
    html = response.text
    assert "Hasil: Poktan Uji" in html and "Model aditif (bawaan)" in html
    for key in ("E1", "E2", "E3", "E4", "E5", "E6"):
        assert ids["names"][key] in html
    assert "87,00" in html and "80,00" in html
    assert "ditentukan oleh kriteria “B”" in html  # E2 and E3
    assert "Berbagi peringkat dengan Poktan E5" in html
    assert "Tidak lolos seleksi administrasi" in html and "Poktan E7" in html
    assert "Tidak ada penghargaan yang berubah dengan metode lain" in html
    assert "Alfa Krippendorff" in html and "ICC(3,k)" in html
    assert "<svg" in html and "Juri 1" in html
    assert 'data-testid="ready"' in html  # every sheet in, no flag
    for method in ("raw", "zscore", "rank", "additive"):
        assert f'data-method="{method}"' in html
    raw = client.get(f"/panitia/hasil/kategori/{ids['category_id']}?metode=raw").text
    assert 'aria-current="page" data-method="raw"' in raw


def test_review_is_for_the_committee_only(app: Flask, client: Any, login_as: Any) -> None:
    with app.app_context():
        ids = build_category()
    url = f"/panitia/hasil/kategori/{ids['category_id']}"
    assert client.get(url).status_code == 302
    login_as("judge")
    assert client.get(url).status_code == 403


def test_flags_and_blockers_then_publish_and_withdraw(
    app: Flask, client: Any, login_as: Any
) -> None:
    with app.app_context():
        ids = build_category(offsets=(0.0, 0.0, -14.0))
    login_as("committee")
    url = f"/panitia/hasil/kategori/{ids['category_id']}"
    html = client.get(url).text
    assert "jauh lebih keras daripada juri lain" in html and "Juri 3" in html
    assert "belum dibahas dan dicatat" in html  # the blocker
    token = csrf_token_from(html)
    refused = client.post(f"{url}/terbitkan", data={"csrf_token": token}, follow_redirects=True)
    assert "Hasil belum dapat diterbitkan." in refused.text
    ack = client.post(
        f"{url}/tanda",
        data={"csrf_token": token, "judge_id": ids["judges"][2], "code": "harsh", "note": ""},
        follow_redirects=True,
    )
    assert "Tuliskan keputusan panitia mengenai tanda ini." in ack.text
    client.post(
        f"{url}/tanda",
        data={"csrf_token": token, "judge_id": ids["judges"][2], "code": "harsh", "note": "OK"},
    )
    html = client.get(url).text
    assert "Sudah dibahas: OK" in html and 'data-testid="ready"' in html
    done = client.post(
        f"{url}/terbitkan",
        data={"csrf_token": token, "method": "raw", "embargo": "2030-06-27T19:30"},
        follow_redirects=True,
    )
    assert "Hasil versi 1 telah diterbitkan" in done.text
    assert "tampil untuk umum mulai 27 Jun 2030 19.30 WIB" in done.text
    with app.app_context():
        snapshot = _db.session.scalar(select(ResultSnapshot))
        assert snapshot.method == "raw" and snapshot.embargo_until.hour == 12  # 19.30 WIB
    assert re.search(r"/panitia/hasil/snapshot/\d+\.pdf", done.text)
    check = client.get(f"/panitia/hasil/snapshot/{snapshot.id}/periksa", follow_redirects=True)
    assert "Sudah diperiksa" in check.text
    empty = client.post(f"{url}/tarik", data={"csrf_token": token}, follow_redirects=True)
    assert "Tuliskan alasan penarikan hasil." in empty.text
    gone = client.post(
        f"{url}/tarik", data={"csrf_token": token, "reason": "Ralat"}, follow_redirects=True
    )
    assert "Versi 1 telah ditarik" in gone.text and "Belum diterbitkan" in gone.text


def test_demo_duta_orang_tua_hebat_can_be_reviewed(app: Flask, client: Any) -> None:
    from tests.conftest import login

    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    with app.app_context():
        doth = _db.session.scalar(select(Category).where(Category.name == "Duta Orang Tua Hebat"))
        bkb = _db.session.scalar(select(Category).where(Category.name == "Poktan BKB Terbaik"))
        doth_id, bkb_id, event_id = doth.id, bkb.id, doth.event_id
    login(client, "panitia@demo.juara.id", "demo-panitia")
    html = client.get(f"/panitia/hasil/kategori/{doth_id}").text
    assert "belum dikirim" in html  # the presentation stage is half done
    assert "Siti Aminah" in html or "model aditif tidak dapat" in html
    raw = client.get(f"/panitia/hasil/kategori/{doth_id}?metode=raw").text
    assert "Yuliana Putri" in raw and "Juara I" in raw
    published = client.get(f"/panitia/hasil/kategori/{bkb_id}").text
    assert "Diumumkan" in published and "Tarik hasil" in published
    overview = client.get(f"/panitia/hasil/acara/{event_id}").text
    assert "Diterbitkan, versi 1" in overview and "Belum diterbitkan" in overview
