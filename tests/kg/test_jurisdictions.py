"""The jurisdictions reference list (data/jurisdictions.yaml) and ``kg.jurisdictions``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.jurisdictions import (
    JurisdictionError,
    default_jurisdictions,
    jurisdiction_of,
    jurisdictions,
    load_jurisdictions,
    resolve,
    successor,
)

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)

# Nghị quyết 202/2025/QH15, Điều 1: the 23 provincial units formed by merging, each with the
# units merged into it (the survivor keeps its name), and the 11 units left unchanged.
MERGED_2025 = {
    "tuyen-quang": {"ha-giang"}, "lao-cai": {"yen-bai"}, "thai-nguyen": {"bac-kan"},
    "phu-tho": {"vinh-phuc", "hoa-binh"}, "bac-ninh": {"bac-giang"}, "hung-yen": {"thai-binh"},
    "hai-phong": {"hai-duong"}, "ninh-binh": {"ha-nam", "nam-dinh"},
    "quang-tri": {"quang-binh"}, "da-nang": {"quang-nam"}, "quang-ngai": {"kon-tum"},
    "gia-lai": {"binh-dinh"}, "khanh-hoa": {"ninh-thuan"}, "lam-dong": {"dak-nong", "binh-thuan"},
    "dak-lak": {"phu-yen"}, "ho-chi-minh": {"binh-duong", "ba-ria-vung-tau"},
    "dong-nai": {"binh-phuoc"}, "tay-ninh": {"long-an"}, "can-tho": {"soc-trang", "hau-giang"},
    "vinh-long": {"ben-tre", "tra-vinh"}, "dong-thap": {"tien-giang"}, "ca-mau": {"bac-lieu"},
    "an-giang": {"kien-giang"},
}
UNCHANGED_2025 = {"ha-noi", "hue", "lai-chau", "dien-bien", "son-la", "lang-son", "quang-ninh",
                  "thanh-hoa", "nghe-an", "ha-tinh", "cao-bang"}


def _codes(items) -> set[str]:
    return {item.code for item in items}


def test_provinces_before_and_after_the_2025_arrangement() -> None:
    before, after = jurisdictions("province", BEFORE), jurisdictions("province", AFTER)
    assert len(before) == 63
    assert len(after) == 34
    assert _codes(after) == set(MERGED_2025) | UNCHANGED_2025
    cities = {item.code for item in after if item.unit == "city"}
    assert cities == {"ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho"}


@pytest.mark.parametrize("survivor", sorted(MERGED_2025))
def test_each_merger_is_history_with_its_basis(survivor: str) -> None:
    reg = default_jurisdictions()
    item = reg.get(survivor)
    assert set(item.predecessors) == MERGED_2025[survivor]
    assert item.changed_on == AFTER and item.basis == "nq-202-2025-qh15"
    for code in MERGED_2025[survivor]:
        absorbed = reg.get(code)
        assert absorbed.valid_until == BEFORE and absorbed.succeeded_by == survivor
        assert successor(code).code == survivor
        assert successor(code, BEFORE).code == code
    basis = reg.bases["nq-202-2025-qh15"]
    assert (basis.number, basis.date, basis.effective) == (
        "202/2025/QH15", dt.date(2025, 6, 12), dt.date(2025, 7, 1))


def test_every_province_of_2024_has_one_of_the_34_as_successor() -> None:
    after = _codes(jurisdictions("province", AFTER))
    for item in jurisdictions("province", dt.date(2024, 6, 1)):
        assert successor(item.code).code in after, item.code


@pytest.mark.parametrize(("old", "new"), [
    ("bo-ke-hoach-va-dau-tu", "bo-tai-chinh"),
    ("bo-tai-nguyen-va-moi-truong", "bo-nong-nghiep-va-moi-truong"),
    ("bo-nong-nghiep-va-phat-trien-nong-thon", "bo-nong-nghiep-va-moi-truong"),
    ("bo-thong-tin-va-truyen-thong", "bo-khoa-hoc-va-cong-nghe"),
    ("bo-giao-thong-van-tai", "bo-xay-dung"),
    ("bo-lao-dong-thuong-binh-va-xa-hoi", "bo-noi-vu"),
    ("uy-ban-dan-toc", "bo-dan-toc-va-ton-giao"),
])
def test_ministries_merged_in_2025(old: str, new: str) -> None:
    assert successor(old).code == new
    assert successor(old, dt.date(2025, 2, 28)).code == old
    assert default_jurisdictions().get(old).basis == "nq-176-2025-qh15"


def test_the_government_has_14_ministries_and_3_ministerial_agencies_from_march_2025() -> None:
    assert len(jurisdictions("ministry", dt.date(2025, 3, 1))) == 17
    assert len(jurisdictions("ministry", dt.date(2025, 2, 28))) == 22


@pytest.mark.parametrize(("name", "code"), [
    ("tỉnh Đồng Nai", "dong-nai"), ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "dong-nai"),
    ("UBND tỉnh Đồng Nai", "dong-nai"), ("Ủy ban nhân dân tỉnh Đồng Tháp", "dong-thap"),
    ("HĐND tỉnh Lạng Sơn", "lang-son"), ("Sở Tài chính tỉnh Lạng Sơn", "lang-son"),
    ("Công an tỉnh Cao Bằng", "cao-bang"), ("huyện Lộc Bình, tỉnh Lạng Sơn", "lang-son"),
    ("TP. Hồ Chí Minh", "ho-chi-minh"), ("Thành phố Hồ Chí Minh", "ho-chi-minh"),
    ("TP.HCM", "ho-chi-minh"), ("thành phố Hà Nội", "ha-noi"), ("Đắc Lắc", "dak-lak"),
    ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"), ("BỘ TÀI CHÍNH", "bo-tai-chinh"),
    ("Bộ NN&PTNT", "bo-nong-nghiep-va-phat-trien-nong-thon"),
    ("Bộ Văn hóa - Thể thao và Du lịch", "bo-van-hoa-the-thao-va-du-lich"),
    ("Văn phòng Chính phủ", "van-phong-chinh-phu"), ("THỦ TƯỚNG CHÍNH PHỦ", "viet-nam"),
    ("Ngân hàng Nhà nước", "ngan-hang-nha-nuoc-viet-nam"), ("bo tai chinh", "bo-tai-chinh"),
])
def test_resolve_names_as_documents_write_them(name: str, code: str) -> None:
    assert resolve(name).code == code


@pytest.mark.parametrize("name", [
    "Sở Tài chính", "UBND tỉnh", "huyện Lộc Bình", "Đồng", "tỉnh Quảng Tây", "Lạng", "",
    "thành phố Lạng Sơn", "Bộ Tài", "Ban Chỉ đạo của Chính phủ", "Dong Nai Province x",
    "Bảo đảm an ninh trên địa bàn tỉnh Lạng Sơn", "Bàn giao cho tỉnh Lạng Sơn",
])
def test_resolve_never_guesses(name: str) -> None:
    assert resolve(name) is None


def test_resolve_on_a_date_follows_the_history() -> None:
    assert resolve("tỉnh Bình Phước", BEFORE).code == "binh-phuoc"
    assert resolve("tỉnh Bình Phước", AFTER).code == "dong-nai"
    assert resolve("Bộ Kế hoạch và Đầu tư", dt.date(2025, 3, 1)).code == "bo-tai-chinh"
    assert resolve("thành phố Huế", dt.date(2024, 5, 1)).code == "thua-thien-hue"
    assert resolve("Thừa Thiên Huế", dt.date(2025, 1, 1)).code == "hue"
    assert resolve("tỉnh Lạng Sơn", AFTER).code == "lang-son"


def test_jurisdiction_of_a_code() -> None:
    assert jurisdiction_of("lang-son").full_name == "tỉnh Lạng Sơn"
    assert jurisdiction_of("ho-chi-minh").full_name == "thành phố Hồ Chí Minh"
    assert jurisdiction_of("bo-tai-chinh").kind == "ministry"
    assert jurisdiction_of("lang son") is None
    assert jurisdiction_of(None) is None


def test_symbols_of_document_numbers() -> None:
    reg = default_jurisdictions()
    assert reg.by_symbol("BTC").code == "bo-tai-chinh"
    assert reg.by_symbol("TTg").code == "viet-nam"
    assert reg.by_symbol("VPCP").code == "van-phong-chinh-phu"
    assert reg.by_symbol("UBND") is None
    assert reg.speaks_for("van-phong-chinh-phu") == "viet-nam"
    assert reg.speaks_for("bo-tai-chinh") == "bo-tai-chinh"


def _variants(draw: st.DrawFn, name: str) -> str:
    text = name
    if draw(st.booleans()):
        text = "".join(c for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace(
            "Đ", "D")) if not unicodedata.combining(c))
    text = draw(st.sampled_from([text, text.upper(), text.lower(), text.title()]))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    spaces = draw(st.sampled_from([" ", "  ", "\t", " \n "]))
    return draw(st.sampled_from(["", " ", "  "])) + spaces.join(text.split()) + draw(
        st.sampled_from(["", " ", "\n"]))


@st.composite
def _alias_and_variant(draw: st.DrawFn) -> tuple[str, str]:
    item = draw(st.sampled_from(list(default_jurisdictions().items.values())))
    name = draw(st.sampled_from(item.names()))
    return item.code, _variants(draw, name)


@settings(max_examples=300, deadline=None)
@given(_alias_and_variant())
def test_every_alias_resolves_whatever_its_case_diacritics_and_spacing(case) -> None:
    code, variant = case
    assert resolve(variant).code == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.dates()))
def test_resolve_never_raises_on_random_text(text: str, on: dt.date | None) -> None:
    found = resolve(text, on)
    assert found is None or found.code in default_jurisdictions()


# --- validation of the file ----------------------------------------------------------------

GOOD = """
bases:
  b1: {number: 202/2025/QH15, type: Nghị quyết, issuer: Quốc hội, date: 2025-06-12}
jurisdictions:
- {code: binh-phuoc, name: Bình Phước, name_en: Binh Phuoc, kind: province, unit: province,
   valid_until: 2025-06-30, succeeded_by: dong-nai, basis: b1}
- {code: dong-nai, name: Đồng Nai, name_en: Dong Nai, kind: province, unit: province,
   predecessors: [binh-phuoc], changed_on: 2025-07-01, basis: b1}
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    return load_jurisdictions(path)


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    reg = _load(tmp_path, GOOD)
    assert reg.resolve("tỉnh Bình Phước", AFTER).code == "dong-nai"


@pytest.mark.parametrize(("old", "new", "row", "field"), [
    ("kind: province, unit: province,\n   valid", "kind: tinh, unit: province,\n   valid", 1,
     "kind"),
    ("code: binh-phuoc", "code: Binh Phuoc", 1, "code"),
    ("code: dong-nai", "code: dong-nai-moi", 2, "code"),
    ("succeeded_by: dong-nai", "succeeded_by: dong-nay", 1, "succeeded_by"),
    ("valid_until: 2025-06-30", "valid_until: 30/06/2025", 1, "valid_until"),
    ("valid_until: 2025-06-30", "valid_until: 2025-06-29", 1, "valid_until"),
    ("changed_on: 2025-07-01, basis: b1", "changed_on: 2025-07-01", 2, "basis"),
    ("basis: b1}\n- {code: dong", "basis: b2}\n- {code: dong", 1, "basis"),
    ("predecessors: [binh-phuoc]", "predecessors: [binh-phuoc, song-be]", 2, "predecessors"),
    ("kind: province, unit: province,\n   pred", "kind: ministry, unit: province,\n   pred", 2,
     "unit"),
    ("name_en: Dong Nai,", "name_en: Dong Nai, aliases: [Bình Phước],", 2, "aliases"),
    ("name_en: Dong Nai,", "name_en: Dong Nai, capital: Biên Hòa,", 2, "capital"),
])
def test_a_bad_row_names_its_row_and_field(tmp_path: Path, old: str, new: str, row: int,
                                           field: str) -> None:
    assert old in GOOD
    with pytest.raises(JurisdictionError) as caught:
        _load(tmp_path, GOOD.replace(old, new, 1))
    error = caught.value
    assert (error.place.row, error.place.field) == (row, field)
    assert error.code == "jurisdiction_error"
    assert str(error).index(f"hàng {row}") < str(error).index(" / ") < str(error).index(
        f"row {row}")


def test_a_repeated_code_is_refused(tmp_path: Path) -> None:
    text = GOOD + "- {code: dong-nai, name: Đồng Nai, name_en: X, kind: province, unit: province}\n"
    with pytest.raises(JurisdictionError, match="bị trùng.*is repeated"):
        _load(tmp_path, text)


@pytest.mark.parametrize("text", [
    "jurisdictions: 3\n", "[1, 2]\n", "bases: [1]\njurisdictions: []\n", "jurisdictions: [\n"])
def test_a_malformed_file_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(JurisdictionError):
        _load(tmp_path, text)


# --- the reference list in the graph --------------------------------------------------------

def _graph():
    from rdflib import Graph

    from kg.jurisdiction_graph import jurisdiction_triples

    graph = Graph()
    for triple in jurisdiction_triples():
        graph.add(triple)
    return graph


MERGED_INTO = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?date ?basis WHERE {
  ?change org:resultingOrganization ?unit ; org:originalOrganization ?before ;
          dcterms:date ?date ; dcterms:source ?basis .
  ?unit skos:notation ?into . ?before skos:notation ?code .
}"""


@pytest.mark.parametrize(("into", "went_in"), [
    ("dong-nai", {"binh-phuoc", "dong-nai"}),
    ("ho-chi-minh", {"binh-duong", "ba-ria-vung-tau", "ho-chi-minh"}),
    ("bo-nong-nghiep-va-moi-truong", {"bo-nong-nghiep-va-phat-trien-nong-thon",
                                      "bo-tai-nguyen-va-moi-truong"}),
    ("hue", {"thua-thien-hue"}),
])
def test_mergers_are_change_events_in_the_graph(into: str, went_in: set[str]) -> None:
    from rdflib import Literal

    rows = list(_graph().query(MERGED_INTO, initBindings={"into": Literal(into)}))
    assert {str(row.code) for row in rows} == went_in
    assert len({(str(row.date), str(row.basis)) for row in rows}) == 1


def test_the_reference_graph_is_consistent_and_a_misuse_is_not() -> None:
    from types import SimpleNamespace

    from rdflib import RDF

    from kg.jurisdiction_graph import jurisdiction_iri
    from kg.validate import reasoner_findings, shacl_findings
    from ontology.namespace import KH

    graph = _graph()
    assert shacl_findings(SimpleNamespace(graph=graph)) == []
    assert reasoner_findings(SimpleNamespace(graph=graph)) == []
    graph.add((jurisdiction_iri("lang-son"), RDF.type, KH.Target))  # an organization is no target
    assert [f.code for f in reasoner_findings(SimpleNamespace(graph=graph))] == ["inconsistent"]
