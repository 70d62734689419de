"""The shipped service catalog: it loads, says the right things, and bad copies are rejected."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.catalog import CATALOG_LANGUAGES, CONTRACT_SERVICE_CODES, Catalog, CatalogError
from helpdesk.catalog.loader import default_catalog_dir, load_catalog

CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog"
ADMINDUK = ("ktp_el", "kartu_keluarga", "akta_kelahiran", "akta_kematian", "pindah_datang", "kia")
TRANSLATED = ("jv", "su", "en")
FACT_SHEET_TAGS = re.compile(r"^S(?:[1-9]|1\d|2[0-4])[a-z]?$")  # S1 … S24 in catalog-facts.md


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR)


def all_text(catalog: Catalog, code: str) -> str:
    """Everything a citizen could be told about one service, as one string."""
    return json.dumps(catalog.service_payload(code), ensure_ascii=False)


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def edit(directory: Path, code: str, change: dict[str, Any]) -> None:
    """Apply `change` to one service file (a None value deletes the key)."""
    path = directory / "services" / f"{code}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(directory)
    assert all(problem in str(info.value) for problem in info.value.problems)
    return info.value.problems


# --- the shipped catalog -------------------------------------------------------------------


def test_shipped_catalog_has_exactly_the_contract_codes(catalog: Catalog) -> None:
    assert set(catalog.services) == set(CONTRACT_SERVICE_CODES)
    assert len(CONTRACT_SERVICE_CODES) == 16
    assert [item["code"] for item in catalog.summaries()] == list(CONTRACT_SERVICE_CODES)
    assert all(item["name"] and item["summary"] for item in catalog.summaries())


def test_default_dir_is_the_repository_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CATALOG_DIR", raising=False)
    assert default_catalog_dir() == CATALOG_DIR
    monkeypatch.setenv("CATALOG_DIR", "/srv/halo/catalog")
    assert default_catalog_dir() == Path("/srv/halo/catalog")


def test_offices_are_marked_as_demo_data(catalog: Catalog) -> None:
    assert catalog.region
    assert "contoh" in catalog.note.lower()
    assert {s.office for s in catalog.services.values()} <= set(catalog.offices)


def test_every_service_cites_known_sources_and_is_dated(catalog: Catalog) -> None:
    for service in catalog.services.values():
        assert service.sources and all(FACT_SHEET_TAGS.match(tag) for tag in service.sources)
        assert service.last_verified == "2026-01"
        assert len(service.aliases) >= 2


def test_adminduk_documents_are_free_under_pasal_79a(catalog: Catalog) -> None:
    for code in ADMINDUK:
        service = catalog.services[code]
        assert service.fee.free is True and service.fee.amount_idr == 0, code
        assert "79A" in service.fee.text or any("79A" in law for law in service.legal_basis)
        # Cited as UU 23/2006 as amended by UU 24/2013, never "UU 24/2013" alone.
        for text in (service.fee.text, *service.legal_basis):
            if "24/2013" in text:
                assert "23/2006" in text, (code, text)


def test_skck_fee_requirements_and_validity(catalog: Catalog) -> None:
    skck = catalog.services["skck"]
    assert skck.fee.free is False and skck.fee.amount_idr == 30000
    assert "PP 76/2020" in skck.fee.text
    assert any("Perpol 6/2023" in law for law in skck.legal_basis)
    items = [item for case in skck.requirements for item in case.items]
    assert any(re.search(r"BPJS|JKN", item) for item in items)
    assert "6 bulan" in (skck.validity or "")
    assert any("1 Agustus 2024" in note for note in skck.notes)


def test_paspor_fees_follow_pp_45_2024(catalog: Catalog) -> None:
    paspor = catalog.services["paspor"]
    for needle in ("PP 45/2024", "350.000", "650.000", "950.000", "1.000.000", "500.000"):
        assert needle in paspor.fee.text, needle
    assert paspor.fee.amount_idr is None
    assert "Kementerian Imigrasi dan Pemasyarakatan" in paspor.agency


def test_nib_rests_on_pp_28_2025_not_pp_5_2021(catalog: Catalog) -> None:
    nib = catalog.services["nib"]
    assert any("PP 28/2025" in law for law in nib.legal_basis)
    assert nib.fee.free is True
    for service in catalog.services.values():
        assert not any("PP 5/2021" in law for law in service.legal_basis), service.code
        for text in (service.fee.text, service.duration, *service.notes):
            if "PP 5/2021" in text:  # only ever mentioned as replaced
                assert "PP 28/2025" in text and "tidak berlaku" in text


def test_regional_taxes_cite_hkpd_not_the_old_law(catalog: Catalog) -> None:
    for code in ("pbb", "pajak_kendaraan"):
        service = catalog.services[code]
        assert any("UU 1/2022" in law for law in service.legal_basis), code
        assert "UU 28/2009" not in all_text(catalog, code)
        assert service.fee.amount_idr is None and "fee" in service.varies_by_region
    assert "66%" in catalog.services["pajak_kendaraan"].fee.text
    assert any("5 Januari 2025" in n for n in catalog.services["pajak_kendaraan"].notes)


def test_bpjs_contributions_and_legal_basis(catalog: Catalog) -> None:
    bpjs = catalog.services["bpjs_kesehatan"]
    for needle in ("150.000", "100.000", "42.000", "35.000", "Perpres 64/2020"):
        assert needle in bpjs.fee.text, needle
    assert any("Perpres 82/2018" in law and "64/2020" in law for law in bpjs.legal_basis)


def test_no_file_cites_perpres_63_2022() -> None:
    for path in CATALOG_DIR.rglob("*.yml"):
        assert "63/2022" not in path.read_text(encoding="utf-8"), path.name


def test_pbg_and_kartu_kuning_facts(catalog: Catalog) -> None:
    pbg = catalog.services["pbg"]
    assert pbg.fee.amount_idr is None and "Perda" in pbg.fee.text and "MBR" in pbg.fee.text
    assert "25 November 2024" in pbg.fee.text and pbg.regional_note
    kuning = catalog.services["kartu_kuning"]
    assert kuning.fee.free is True
    assert "2 tahun" in (kuning.validity or "") and "6 bulan" in (kuning.validity or "")


def test_unverified_claims_are_not_stated(catalog: Catalog) -> None:
    text = " ".join(all_text(catalog, code) for code in catalog.services)
    assert "Rp10 juta" not in text  # NJOPTKP floor: unverified
    assert "2% per bulan" not in text and "2%/bulan" not in text  # PBB-P2 penalty: unverified
    assert catalog.services["pindah_datang"].validity is None  # SKPWNI validity: unverified
    assert catalog.services["nib"].validity is None  # NIB validity clause: unverified


def test_regional_fields_always_come_with_a_note(catalog: Catalog) -> None:
    for service in catalog.services.values():
        if service.varies_by_region:
            assert service.regional_note, service.code


# --- lookups and payloads ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("e-ktp", "ktp_el"),
        ("E-KTP", "ktp_el"),
        ("ktp_el", "ktp_el"),
        ("Kartu Keluarga (KK)", "kartu_keluarga"),
        ("  KK ", "kartu_keluarga"),
        ("surat kelakuan baik", "skck"),
        ("IMB", "pbg"),
        ("AK/1", "kartu_kuning"),
        ("syarat bikin e-ktp dong?", "ktp_el"),
        ("mau pindah domisili ke Bandung", "pindah_datang"),
        ("minta surat domisili", "surat_domisili"),
    ],
)
def test_find_matches_codes_names_and_aliases(catalog: Catalog, text: str, code: str) -> None:
    found = catalog.find(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["", "   ", "sim a", "ktpx", "resep nasi goreng"])
def test_find_returns_none_for_unknown_text(catalog: Catalog, text: str) -> None:
    assert catalog.find(text) is None


def test_service_payload_resolves_the_office(catalog: Catalog) -> None:
    payload = catalog.service_payload("skck")
    assert payload is not None
    office = catalog.offices["polres"]
    assert payload["office"] == {
        "key": "polres",
        "name": office.name,
        "address": office.address,
        "hours": list(office.hours),
        "phone": office.phone,
        "website": office.website,
    }
    assert payload["region"] == catalog.region
    assert payload["fee"] == {
        "free": False,
        "amount_idr": 30000,
        "text": catalog.services["skck"].fee.text,
    }
    assert payload["duration"] == {"text": catalog.services["skck"].duration}
    assert payload["requirements"][0]["items"][0]
    assert json.loads(json.dumps(payload)) == payload  # plain JSON, no tuples
    assert catalog.service_payload("sim_a") is None
    assert catalog.get("sim_a") is None and catalog.get("kia") is catalog.services["kia"]


# --- validation of broken copies -----------------------------------------------------------


def test_a_copy_of_the_shipped_catalog_loads(copy_dir: Path) -> None:
    assert set(load_catalog(copy_dir).services) == set(CONTRACT_SERVICE_CODES)


def test_every_problem_is_reported_at_once(copy_dir: Path) -> None:
    edit(copy_dir, "ktp_el", {"summary": None})  # missing field
    edit(copy_dir, "skck", {"office": "polsek"})  # unknown office
    edit(copy_dir, "kia", {"aliases": ["kartu anak", "ktp"]})  # alias of ktp_el
    edit(copy_dir, "nib", {"code": "oss"})  # code vs file name
    edit(copy_dir, "pbg", {"regional_note": None})  # varies_by_region without a note
    problems = problems_of(copy_dir)
    assert len(problems) == 5, problems
    expected = [
        ("services/ktp_el.yml", "summary", "missing"),
        ("services/skck.yml", "office", "polsek"),
        ("services/ktp_el.yml", "aliases", "'ktp' is also used by services/kia.yml"),
        ("services/nib.yml", "code", "file name"),
        ("services/pbg.yml", "regional_note", "varies_by_region"),
    ]
    for where, field_name, detail in expected:
        assert any(
            p.startswith(where) and f": {field_name}:" in p and detail in p for p in problems
        ), (where, problems)


def test_field_types_and_values_are_checked(copy_dir: Path) -> None:
    edit(copy_dir, "paspor", {"category": "imigrasi", "colour": "hijau", "legal_basis": []})
    edit(copy_dir, "sktm", {"fee": {"free": True, "amount_idr": 5000, "text": "Gratis."}})
    edit(copy_dir, "pbb", {"fee": {"free": False, "amount_idr": -1, "text": "x"}})
    edit(copy_dir, "kia", {"requirements": [{"case": "Baru", "items": []}]})
    edit(copy_dir, "akta_kematian", {"varies_by_region": ["harga"], "sources": ["kompas"]})
    problems = "\n".join(problems_of(copy_dir))
    for needle in (
        "services/paspor.yml: category: 'imigrasi'",
        "services/paspor.yml: colour: unknown field",
        "services/paspor.yml: legal_basis: must not be empty",
        "services/sktm.yml: fee.amount_idr: must be 0 or null when free is true",
        "services/pbb.yml: fee.amount_idr: must be an integer >= 0 or null",
        "services/kia.yml: requirements[0].items: must not be empty",
        "services/akta_kematian.yml: varies_by_region: 'harga'",
        "services/akta_kematian.yml: sources: 'kompas'",
    ):
        assert needle in problems, needle


def test_missing_contract_service_and_broken_offices(copy_dir: Path) -> None:
    (copy_dir / "services" / "sktm.yml").unlink()
    offices = yaml.safe_load((copy_dir / "offices.yml").read_text(encoding="utf-8"))
    del offices["offices"]["samsat"]["hours"]
    (copy_dir / "offices.yml").write_text(
        yaml.safe_dump(offices, allow_unicode=True), encoding="utf-8"
    )
    problems = problems_of(copy_dir)
    assert any("services/sktm.yml: missing" in p for p in problems)
    assert any("offices.yml: offices.samsat.hours: missing" in p for p in problems)
    # The office key still exists, so the services using it are not reported twice.
    assert not any("services/pajak_kendaraan.yml" in p for p in problems)


def test_unparseable_yaml_is_reported_with_the_rest(copy_dir: Path) -> None:
    (copy_dir / "services" / "kia.yml").write_text("code: kia\nname: [unclosed\n", encoding="utf-8")
    edit(copy_dir, "skck", {"fee": None})
    problems = problems_of(copy_dir)
    assert any(p.startswith("services/kia.yml: cannot read") for p in problems)
    assert any(p.startswith("services/skck.yml: fee: missing") for p in problems)


def test_extra_services_are_listed_after_the_contract_ones(copy_dir: Path) -> None:
    extra = yaml.safe_load((copy_dir / "services" / "sktm.yml").read_text(encoding="utf-8"))
    extra.update(code="izin_keramaian", name="Izin Keramaian", aliases=["izin acara", "keramaian"])
    (copy_dir / "services" / "izin_keramaian.yml").write_text(
        yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8"
    )
    for lang in TRANSLATED:
        folder = copy_dir / "i18n" / lang
        shutil.copy(folder / "sktm.yml", folder / "izin_keramaian.yml")
    loaded = load_catalog(copy_dir)
    assert [s["code"] for s in loaded.summaries()][-1] == "izin_keramaian"
    found = loaded.find("izin acara")
    assert found is not None and found.code == "izin_keramaian"
    assert loaded.service_payload("izin_keramaian", "en") is not None


def test_extra_service_without_translations_is_rejected(copy_dir: Path) -> None:
    shutil.copy(copy_dir / "services" / "sktm.yml", copy_dir / "services" / "izin_keramaian.yml")
    edit(copy_dir, "izin_keramaian", {"code": "izin_keramaian", "name": "Izin Keramaian"})
    edit(copy_dir, "izin_keramaian", {"aliases": ["izin acara", "keramaian"]})
    problems = problems_of(copy_dir)
    assert sorted(problems) == [
        f"i18n/{lang}/izin_keramaian.yml: missing (every service needs a '{lang}' translation)"
        for lang in sorted(TRANSLATED)
    ]


# --- translations: i18n/<lang>/<code>.yml ---------------------------------------------

AMOUNT = re.compile(r"Rp\d+(?:[.,]\d+)*|\d+(?:[.,/]\d+)*%?")


def numbers(text: str | None) -> set[str]:
    """Every amount, date part, count and citation number in a text."""
    return set(AMOUNT.findall(text or ""))


def text_fields(payload: dict[str, Any]) -> dict[str, str | None]:
    """Every translatable text of a service payload, by a path-like key."""
    fields: dict[str, str | None] = {
        key: payload[key]
        for key in ("name", "summary", "who", "eligibility", "validity", "regional_note")
    }
    fields |= {"fee.text": payload["fee"]["text"], "duration.text": payload["duration"]["text"]}
    fields |= {f"notes[{i}]": note for i, note in enumerate(payload["notes"])}
    online = payload["online"] or {}
    fields |= {"online.name": online.get("name"), "online.text": online.get("text")}
    for key, inner in (("requirements", "items"), ("procedure", "steps")):
        for i, group in enumerate(payload[key]):
            fields[f"{key}[{i}].case"] = group["case"]
            fields |= {f"{key}[{i}].{inner}[{j}]": e for j, e in enumerate(group[inner])}
    form = payload.get("application") or {}
    fields |= {f"application.{k}": form.get(k) for k in ("consent", "pickup")}
    for i, field in enumerate(form.get("fields") or []):
        fields |= {f"application.fields[{i}].{k}": field[k] for k in ("label", "hint")}
        choices = enumerate(field["choices"])
        fields |= {f"application.fields[{i}].choices[{j}]": c for j, c in choices}
    for i, document in enumerate(form.get("documents") or []):
        fields[f"application.documents[{i}].label"] = document["label"]
    return fields


def test_every_service_is_translated_into_every_language(catalog: Catalog) -> None:
    assert CATALOG_LANGUAGES == ("id", "jv", "su", "en")
    assert set(catalog.translations) == set(TRANSLATED)
    for lang in TRANSLATED:
        assert set(catalog.translations[lang]) == set(CONTRACT_SERVICE_CODES), lang
    for path in (CATALOG_DIR / "i18n").rglob("*.yml"):
        assert path.parent.name in TRANSLATED and path.stem in CONTRACT_SERVICE_CODES


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("code", CONTRACT_SERVICE_CODES)
def test_translation_keeps_structure_and_facts(catalog: Catalog, code: str, lang: str) -> None:
    source, payload = catalog.service_payload(code), catalog.service_payload(code, lang)
    assert source is not None and payload is not None
    assert (source["language"], payload["language"]) == ("id", lang)
    original, translated = text_fields(source), text_fields(payload)
    assert original.keys() == translated.keys()
    for key, text in original.items():
        assert (text is None) == (translated[key] is None), key
        # Amounts, dates, counts and citation numbers are exactly those of the source.
        assert numbers(translated[key]) == numbers(text), (key, translated[key])
    untranslated = set(source) - {
        "name",
        "summary",
        "who",
        "eligibility",
        "requirements",
        "procedure",
    }
    untranslated -= {"fee", "duration", "validity", "online", "regional_note", "notes", "language"}
    untranslated -= {"application"}
    for key in untranslated:  # code, category, office, legal_basis, sources, ...
        assert payload[key] == source[key], key
    assert payload["fee"]["amount_idr"] == source["fee"]["amount_idr"]
    assert payload["fee"]["free"] == source["fee"]["free"]
    if source["online"]:
        assert payload["online"]["url"] == source["online"]["url"]
    form, shown = source["application"], payload["application"]
    assert (form is None) == (shown is None)
    if form is not None:  # keys, types and rules come from the source
        assert shown["standard_days"] == form["standard_days"]
        for ours, theirs in zip(form["fields"], shown["fields"], strict=True):
            assert {k: v for k, v in theirs.items() if k not in ("label", "hint", "choices")} == {
                k: v for k, v in ours.items() if k not in ("label", "hint", "choices")
            }
        for ours, theirs in zip(form["documents"], shown["documents"], strict=True):
            assert (theirs["key"], theirs["types"]) == (ours["key"], ours["types"])


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_key_facts_survive_translation(catalog: Catalog, lang: str) -> None:
    def fee(code: str) -> str:
        payload = catalog.service_payload(code, lang)
        assert payload is not None
        return str(payload["fee"]["text"])

    assert "30.000" in fee("skck") and "PP 76/2020" in fee("skck")
    for needle in ("PP 45/2024", "350.000", "650.000", "950.000", "1.000.000", "500.000"):
        assert needle in fee("paspor"), needle
    for code in ADMINDUK:
        assert "Pasal 79A" in fee(code) and "UU 23/2006" in fee(code), code
        assert "UU 24/2013" in fee(code), code
    for needle in ("150.000", "100.000", "42.000", "35.000", "Perpres 64/2020"):
        assert needle in fee("bpjs_kesehatan"), needle
    assert "66%" in fee("pajak_kendaraan") and "UU 1/2022" in fee("pajak_kendaraan")
    assert "MBR" in fee("pbg") and "2024" in fee("pbg")
    nib = catalog.service_payload("nib", lang)
    assert nib is not None and any("PP 28/2025" in note for note in nib["notes"])
    assert nib["online"]["url"] == "https://oss.go.id"


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("id", "Surat Keterangan Catatan Kepolisian (SKCK)"),
        ("jv", "Surat Keterangan Catatan Kepolisian (SKCK)"),
        ("su", "Surat Keterangan Catatan Kepolisian (SKCK)"),
        ("en", "Police Clearance Certificate (SKCK)"),
    ],
)
def test_summaries_and_payloads_in_each_language(catalog: Catalog, lang: str, name: str) -> None:
    summaries = catalog.summaries(lang)
    assert [item["code"] for item in summaries] == list(CONTRACT_SERVICE_CODES)
    assert {item["code"]: item["name"] for item in summaries}["skck"] == name
    assert summaries == [
        {k: p[k] for k in ("code", "name", "category", "summary")} | {"names": names}
        for p, names in (
            (catalog.service_payload(code, lang), catalog.names_of(code))
            for code in CONTRACT_SERVICE_CODES
        )
        if p is not None
    ]
    payload, source = catalog.service_payload("skck", lang), catalog.service_payload("skck")
    assert payload is not None and source is not None
    assert payload["office"] == source["office"]  # names and addresses are not translated


def test_language_defaults_and_unknown_languages(catalog: Catalog) -> None:
    assert catalog.summaries() == catalog.summaries("id")
    assert catalog.service_payload("kia") == catalog.service_payload("kia", "id")
    with pytest.raises(ValueError, match="language"):
        catalog.service_payload("kia", "fr")
    with pytest.raises(ValueError, match="language"):
        catalog.summaries("xx")
    assert catalog.service_payload("sim_a", "en") is None
    bare = Catalog(catalog.region, catalog.note, catalog.offices, catalog.services)
    payload = bare.service_payload("kia", "jv")  # a hand-built catalog without overlays
    assert payload is not None and payload["language"] == "id"


def edit_translation(directory: Path, lang: str, code: str, change: dict[str, Any]) -> None:
    """Apply `change` to one overlay (a None value deletes the key)."""
    path = directory / "i18n" / lang / f"{code}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_broken_translations_are_all_reported(copy_dir: Path) -> None:
    skck = yaml.safe_load((copy_dir / "i18n" / "en" / "skck.yml").read_text(encoding="utf-8"))
    skck["requirements"][0]["items"].pop()
    skck["procedure"].pop()
    skck["online"]["url"] = "https://skck.polri.go.id"
    (copy_dir / "i18n" / "en" / "skck.yml").write_text(
        yaml.safe_dump(skck, allow_unicode=True), encoding="utf-8"
    )
    edit_translation(copy_dir, "jv", "kia", {"colour": "ijo", "summary": None})
    edit_translation(copy_dir, "su", "nib", {"validity": "Salamina.", "regional_note": "x"})
    edit_translation(copy_dir, "jv", "sktm", {"notes": ["Mung siji."], "fee": {"text": ""}})
    edit_translation(copy_dir, "en", "paspor", {"fee": {"text": "x", "amount_idr": 1}})
    (copy_dir / "i18n" / "su" / "pbb.yml").unlink()
    (copy_dir / "i18n" / "jv" / "sim_a.yml").write_text("name: SIM A\n", encoding="utf-8")
    (copy_dir / "i18n" / "fr").mkdir()
    (copy_dir / "i18n" / "en" / "kk_typo.yml").write_text("name: [broken\n", encoding="utf-8")
    problems = "\n".join(problems_of(copy_dir))
    for needle in (
        "i18n/en/skck.yml: requirements[0].items: has 6 items, the Indonesian file has 7",
        "i18n/en/skck.yml: procedure: has 1 cases, the Indonesian file has 2",
        "i18n/en/skck.yml: online.url: unknown field",
        "i18n/jv/kia.yml: colour: unknown field",
        "i18n/jv/kia.yml: summary: missing required field",
        "i18n/su/nib.yml: validity: not in the Indonesian file (services/nib.yml)",
        "i18n/su/nib.yml: regional_note: not in the Indonesian file",
        "i18n/jv/sktm.yml: notes: has 1 notes, the Indonesian file has 2",
        "i18n/jv/sktm.yml: fee.text: must be a non-empty string",
        "i18n/en/paspor.yml: fee.amount_idr: unknown field",
        "i18n/su/pbb.yml: missing (every service needs a 'su' translation)",
        "i18n/jv/sim_a.yml: no such service (services/sim_a.yml)",
        "i18n/fr: not a catalog language (expected one of jv, su, en)",
        "i18n/en/kk_typo.yml: no such service",
    ):
        assert needle in problems, needle


def test_overlay_must_be_a_mapping_and_follow_the_source_shape(copy_dir: Path) -> None:
    (copy_dir / "i18n" / "jv" / "kia.yml").write_text("- just a list\n", encoding="utf-8")
    edit_translation(copy_dir, "en", "akta_kematian", {"online": {"text": "x"}})
    edit_translation(copy_dir, "su", "skck", {"requirements": "Sarat"})
    problems = problems_of(copy_dir)
    assert "i18n/jv/kia.yml: must be a YAML mapping" in problems
    assert any(
        p.startswith("i18n/en/akta_kematian.yml: online: not in the Indonesian") for p in problems
    )
    assert any(
        p.startswith("i18n/su/skck.yml: requirements: must be a non-empty list") for p in problems
    )


def test_a_broken_source_is_not_reported_again_by_its_translations(copy_dir: Path) -> None:
    edit(copy_dir, "kia", {"summary": None})
    assert problems_of(copy_dir) == ["services/kia.yml: summary: missing required field"]


# --- the API: ?lang= --------------------------------------------------------------------


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_api_serves_the_catalog_in_each_language(
    client: FlaskClient, auth: dict[str, str], catalog: Catalog, lang: str
) -> None:
    listed = client.get(f"/api/v1/services?lang={lang}", headers=auth)
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["language"] == lang and body["region"] == catalog.region
    assert body["items"] == catalog.summaries(lang)
    one = client.get(f"/api/v1/services/skck?lang={lang}", headers=auth)
    assert one.status_code == 200
    body = one.get_json()
    page = body.pop("page_url")
    assert body == catalog.service_payload("skck", lang)
    assert page.endswith("/layanan/skck" + ("" if lang == "id" else f"?lang={lang}"))


def test_api_language_defaults_to_indonesian_and_ignores_case(
    client: FlaskClient, auth: dict[str, str], catalog: Catalog
) -> None:
    assert client.get("/api/v1/services", headers=auth).get_json()["language"] == "id"
    assert client.get("/api/v1/services?lang=", headers=auth).get_json()["language"] == "id"
    english = client.get("/api/v1/services/kia?lang=EN", headers=auth).get_json()
    assert english.pop("page_url").endswith("/layanan/kia?lang=en")
    assert english == catalog.service_payload("kia", "en")


@pytest.mark.parametrize("path", ["/api/v1/services", "/api/v1/services/kia"])
@pytest.mark.parametrize("lang", ["fr", "jawa", "id-ID"])
def test_api_rejects_an_unknown_language(
    client: FlaskClient, auth: dict[str, str], path: str, lang: str
) -> None:
    response = client.get(f"{path}?lang={lang}", headers=auth)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_language"
    assert "id, jv, su, en" in error["message"]


def test_api_unknown_service_in_another_language_is_404(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    response = client.get("/api/v1/services/sim_a?lang=jv", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "service_not_found"


def test_every_shipped_service_says_who_may_apply_in_every_language(catalog: Catalog) -> None:
    """`eligibility` (who may apply, from what age) is filled for every service and language."""
    for code in catalog.ordered_codes():
        for language in CATALOG_LANGUAGES:
            payload = catalog.service_payload(code, language)
            assert payload is not None
            assert payload["eligibility"], (code, language)
            assert payload["language"] == language


def test_page_links_point_at_the_public_listener_not_the_one_called(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    """The action server calls the internal listener (make run: port 8001), which serves
    no `/layanan`: without PUBLIC_URL the link names the public listener."""
    settings = app.extensions["settings"]
    internal = client.get(
        "/api/v1/services/skck", headers=auth, base_url="http://127.0.0.1:8001"
    ).get_json()
    assert internal["page_url"] == f"http://{settings.host}:{settings.port}/layanan/skck"
