"""Onboarding from an empty database (issue 16): the template's agencies sheet ("Cơ quan"), the
other sheets naming the new agencies, every bad row named, the ids made from names, the kind
read from the head word, and the agencies an extraction proposes."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.agencies import (
    ID_PATTERN,
    MAX_ID_CHARS,
    AgencyError,
    agency_fact,
    agency_id,
    guess_kind,
    propose_agency,
    unique_id,
)
from kg.agency_entries import AgencyEntry, build_agencies
from kg.errors import KehoachError, Place
from kg.log import Fact, Source, open_log
from kg.matching import Matcher, fold, matcher_from_log
from kg.template import ImportProblems, TemplateError, check_file, import_file, write_template

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Tên cơ quan", "Tên viết tắt", "Loại cơ quan", "Cơ quan cấp trên", "Địa bàn",
          "Tên gọi khác", "Hiệu lực từ"]
AGENCIES = [
    HEADER,
    ["Ủy ban nhân dân tỉnh Đồng Nai", "UBND tỉnh", "", "", "dong-nai", "UBND tỉnh Đồng Nai", ""],
    ["Sở Nông nghiệp và Môi trường", "Sở NN&MT", "", "UBND tỉnh", "dong-nai", "", "01/3/2025"],
    ["Trung tâm Khuyến nông", "", "cơ quan thuộc tỉnh", "Sở NN&MT", "", "", ""],
    ["Cục Thuế tỉnh", "", "", "", "", "Thuế tỉnh Đồng Nai", ""],
    ["Sở Tài chính", "", "sở", "ubnd-tinh-dong-nai", "", "Sở TC", "2025-03-01"],
]
TASKS = [
    ["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
    ["Lập dự toán ngân sách năm 2026", "Sở TC", "Cục Thuế tỉnh; Sở NN&MT", "31/12/2025"],
    ["Tổng kết mô hình khuyến nông", "Trung tâm Khuyến nông", "", "Quý IV/2025"],
]


@pytest.fixture
def log(tmp_path):
    with open_log(tmp_path / "empty.db") as fact_log:
        yield fact_log


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def problems_of(call) -> list[KehoachError]:
    with pytest.raises(ImportProblems) as caught:
        call()
    return caught.value.problems


def agencies_of(log) -> dict[str, dict]:
    return {f.key: f.payload for f in log.current("agency")}


# -- from an empty database ------------------------------------------------------------------

def test_agencies_sheet_into_an_empty_database(log, tmp_path):
    result = import_file(log, write_csv(tmp_path / "co-quan.csv", AGENCIES))
    assert result.counts() == {"new": 5}
    stored = agencies_of(log)
    assert set(stored) == {"ubnd-tinh-dong-nai", "so-nong-nghiep-va-moi-truong",
                           "trung-tam-khuyen-nong", "cuc-thue-tinh", "so-tai-chinh"}
    ubnd, sonn = stored["ubnd-tinh-dong-nai"], stored["so-nong-nghiep-va-moi-truong"]
    assert (ubnd["kind"], ubnd["short"], ubnd["jurisdiction"]) == (
        "provincial_committee", "UBND tỉnh", "dong-nai")
    assert (sonn["kind"], sonn["parent"], sonn["valid_from"]) == (
        "department", "ubnd-tinh-dong-nai", "2025-03-01")
    assert stored["trung-tam-khuyen-nong"]["kind"] == "provincial_body"
    assert stored["trung-tam-khuyen-nong"]["parent"] == "so-nong-nghiep-va-moi-truong"
    assert stored["cuc-thue-tinh"]["kind"] == "central_branch"
    assert stored["cuc-thue-tinh"]["aliases"] == ["Thuế tỉnh Đồng Nai"]
    fact = next(f for f in log.current("agency") if f.key == "so-tai-chinh")
    assert (fact.source.doc, fact.source.line) == ("co-quan.csv", 6)
    assert fact.source.quote.startswith("Sở Tài chính | sở | ubnd-tinh-dong-nai")


def test_agencies_then_tasks_naming_them_in_one_workbook(log, tmp_path):
    # the tasks sheet comes first in the workbook: agencies are still read first
    path = write_xlsx(tmp_path / "ke-hoach.xlsx", {"Nhiệm vụ": TASKS, "Cơ quan": AGENCIES})
    result = import_file(log, path)
    assert result.kinds() == {"agency": 5, "task": 2}
    tasks = {f.payload["summary"]: f.payload for f in log.current("task")}
    budget = tasks["Lập dự toán ngân sách năm 2026"]
    assert budget["lead_agency"] == "so-tai-chinh"
    assert budget["support"] == ["cuc-thue-tinh", "so-nong-nghiep-va-moi-truong"]
    assert tasks["Tổng kết mô hình khuyến nông"]["lead_agency"] == "trung-tam-khuyen-nong"


def test_reimport_is_idempotent_and_a_later_import_names_the_agencies(log, tmp_path):
    path = write_xlsx(tmp_path / "ke-hoach.xlsx", {"Cơ quan": AGENCIES, "Nhiệm vụ": TASKS})
    import_file(log, path)
    before = log.last_seq()
    assert import_file(log, path).counts() == {"duplicate": 7}
    assert log.last_seq() == before
    later = write_csv(tmp_path / "nhiem-vu.csv", [TASKS[0], ["Rà soát hộ nghèo",
                                                              "Sở NN&MT", "", "30/6/2026"]])
    assert import_file(log, later).counts() == {"new": 1}
    assert log.current("task")[-1].payload["lead_agency"] == "so-nong-nghiep-va-moi-truong"


def test_explicit_update_by_id_makes_a_version_and_keeps_what_it_does_not_say(log, tmp_path):
    import_file(log, write_csv(tmp_path / "a.csv", AGENCIES))
    update = write_csv(tmp_path / "b.csv", [
        ["Mã cơ quan", "Tên cơ quan", "Tên gọi khác", "Hiệu lực đến"],
        ["so-tai-chinh", "Sở Tài chính", "Sở Tài chính tỉnh Đồng Nai", "31/12/2030"]])
    assert import_file(log, update).counts() == {"version": 1}
    fact = log.get("agency", "so-tai-chinh")
    assert fact.version == 2
    assert fact.payload["aliases"] == ["Sở TC", "Sở Tài chính tỉnh Đồng Nai"]
    assert (fact.payload["parent"], fact.payload["valid_from"], fact.payload["valid_until"]) == (
        "ubnd-tinh-dong-nai", "2025-03-01", "2030-12-31")
    assert import_file(log, update).counts() == {"duplicate": 1}


def test_a_known_name_without_its_id_is_refused_naming_the_agency(log, tmp_path):
    import_file(log, write_csv(tmp_path / "a.csv", AGENCIES))
    again = write_csv(tmp_path / "b.csv", [["Tên cơ quan", "Loại cơ quan"],
                                           ["Sở Tài chính", "cơ quan thuộc tỉnh"],
                                           ["UBND tỉnh Đồng Nai", ""]])
    problems = problems_of(lambda: import_file(log, again))
    assert [(p.place.row, p.place.field, p.code) for p in problems] == [
        (2, "name", "agency_exists"), (3, "name", "agency_exists")]
    assert "so-tai-chinh" in problems[0].vi and "so-tai-chinh" in problems[0].en
    assert "ubnd-tinh-dong-nai" in problems[1].vi
    assert log.get("agency", "so-tai-chinh").version == 1


def test_one_column_csv_with_the_kind_named(log, tmp_path):
    path = write_csv(tmp_path / "ten.csv", [["Tên cơ quan"], ["Bộ Tài chính"], ["Bộ Công an"]])
    with pytest.raises(TemplateError):
        import_file(log, path)  # one column names no kind by itself
    assert import_file(log, path, "agencies").counts() == {"new": 2}
    assert {p["kind"] for p in agencies_of(log).values()} == {"ministry"}


# -- every bad row, named ----------------------------------------------------------------------

BAD_ROWS = [
    (["", "x", "", "", "", "", ""], "name", "missing_value"),
    (["— …", "", "sở", "", "", "", ""], "name", "agency_name"),
    (["Sở Y tế", "", "phòng ban", "", "", "", ""], "kind", "not_a_choice"),
    (["Trung tâm Y tế dự phòng", "", "", "", "", "", ""], "kind", "agency_kind_unknown"),
    (["Sở Y tế", "", "", "UBND huyện Xa Lạ", "", "", ""], "parent", "unknown_agency"),
    (["Sở Y tế", "", "", "Sở Y tế", "", "", ""], "parent", "agency_parent_cycle"),
    (["Sở Y tế", "", "", "", "Atlantis", "", ""], "jurisdiction", "unknown_jurisdiction"),
    (["Sở Y tế", "", "", "", "", "", "31/02/2025"], "valid_from", "date_invalid"),
    (["Sở Y tế", "", "", "", "", "", "01/01/1890"], "valid_from", "implausible_year"),
]


@pytest.mark.parametrize(("row", "field", "code"), BAD_ROWS, ids=[c for _r, _f, c in BAD_ROWS])
def test_a_bad_row_names_its_row_field_and_code_and_nothing_is_written(
        log, tmp_path, row, field, code):
    path = write_csv(tmp_path / "bad.csv", [HEADER, ["Sở Tài chính", "", "", "", "", "", ""],
                                            row])
    problems = problems_of(lambda: import_file(log, path))
    found = [(p.place.document, p.place.row, p.place.field, p.code) for p in problems]
    if code == "date_invalid":
        code = problems[0].code  # the shared date parser's own code
    assert found == [("bad.csv", 3, field, code)]
    assert problems[0].vi and problems[0].en and problems[0].vi != problems[0].en
    assert log.last_seq() == 0


def test_every_bad_row_at_once(log, tmp_path):
    rows = [["Tên cơ quan", "Mã cơ quan", "Cơ quan cấp trên", "Hiệu lực từ", "Hiệu lực đến"],
            ["Sở Y tế", "", "Sở Nội vụ", "", ""],
            ["Sở Nội vụ", "", "Sở Y tế", "", ""],                      # cycle with row 2
            ["Sở Y Tế", "", "", "", ""],                               # same name as row 2
            ["Sở Xây dựng", "Sở XD", "", "", ""],                      # not an id
            ["Sở Tư pháp", "", "", "01/7/2025", "30/6/2025"],          # ends before it starts
            ["Sở Công Thương", "so-y-te", "", "", ""]]                 # id of row 2
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "c.csv", rows)))
    assert [(p.place.row, p.place.field, p.code) for p in problems] == [
        (3, "parent", "agency_parent_cycle"), (4, "name", "duplicate_row"),
        (5, "id", "agency_id"), (6, "valid_until", "valid_until_early"),
        (7, "id", "duplicate_row")]
    assert "hàng 2" in problems[1].vi and "row 2" in problems[1].en


def test_an_alias_or_id_that_belongs_to_another_agency_is_refused(log, tmp_path):
    import_file(log, write_csv(tmp_path / "a.csv", AGENCIES))
    rows = [["Tên cơ quan", "Tên gọi khác", "Mã cơ quan"],
            ["Sở Nội vụ", "Sở TC", ""],                               # alias of Sở Tài chính
            ["Sở Tài chính mới", "", "cuc-thue-tinh"],                # update of Cục Thuế ...
            ["Sở Nông nghiệp và Môi trường", "", "so-tai-chinh"]]     # ... with another's name
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "b.csv", rows)))
    assert [(p.place.row, p.code) for p in problems] == [(2, "agency_exists"),
                                                          (4, "agency_exists")]
    assert "so-tai-chinh" in problems[0].vi and "so-nong-nghiep" in problems[1].vi


def test_tasks_naming_a_bad_or_unknown_agency_say_which(log, tmp_path):
    agencies = [HEADER, ["Sở Y tế", "", "", "Không Có", "", "", ""]]
    tasks = [TASKS[0], ["Tiêm chủng mở rộng", "Sở Y tế", "", "31/12/2025"],
             ["Kiểm tra an toàn thực phẩm", "Sở Công Thương", "", "31/12/2025"]]
    path = write_xlsx(tmp_path / "x.xlsx", {"Cơ quan": agencies, "Nhiệm vụ": tasks})
    problems = problems_of(lambda: import_file(log, path))
    assert [(p.place.document, p.place.row, p.place.field, p.code) for p in problems] == [
        ("x.xlsx › Cơ quan", 2, "parent", "unknown_agency"),
        ("x.xlsx › Nhiệm vụ", 2, "agency", "agency_row_invalid"),
        ("x.xlsx › Nhiệm vụ", 3, "agency", "unknown_agency")]
    assert "Cơ quan hàng 2" in problems[1].vi
    assert "Cơ quan" in problems[2].vi and "agencies" in problems[2].en


def test_jurisdiction_by_name_when_the_reference_list_is_there(log, tmp_path):
    pytest.importorskip("kg.jurisdictions")
    path = write_csv(tmp_path / "j.csv", [["Tên cơ quan", "Địa bàn"],
                                          ["Bộ Tài chính", "Bộ Tài chính"],
                                          ["Sở Tài chính", "tỉnh Đồng Nai"]])
    import_file(log, path)
    assert {k: p["jurisdiction"] for k, p in agencies_of(log).items()} == {
        "bo-tai-chinh": "bo-tai-chinh", "so-tai-chinh": "dong-nai"}


# -- the blank template ------------------------------------------------------------------------

def test_blank_template_agencies_sheet_filled_alone(log, tmp_path):
    path = write_template(tmp_path / "mau.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Cơ quan"]
    assert ws["A1"].value == "Tên cơ quan *" and ws["A2"].value == "name"
    kinds = next(dv.formula1 for dv in ws.data_validations.dataValidation
                 if str(dv.sqref).startswith("C3"))
    assert "sở" in kinds and "UBND huyện" in kinds and len(kinds) <= 255
    ws["A3"], ws["A4"], ws["D4"] = "UBND tỉnh Đồng Nai", "Sở Y tế", "UBND tỉnh Đồng Nai"
    book.save(path)
    assert import_file(log, path, "agencies").kinds() == {"agency": 2}
    assert log.get("agency", "so-y-te").payload["parent"] == "ubnd-tinh-dong-nai"
    book["Nhiệm vụ"]["A3"] = "Một nhiệm vụ"
    book.save(path)
    with pytest.raises(TemplateError) as caught:
        check_file(log, path, "agencies")
    assert caught.value.code == "template_other_kind"


# -- ids ---------------------------------------------------------------------------------------

def test_ids_follow_the_dataset_style():
    assert agency_id("Sở Kế hoạch và Đầu tư") == "so-ke-hoach-va-dau-tu"
    assert agency_id("Ủy ban nhân dân huyện Cao Lộc") == "ubnd-huyen-cao-loc"
    assert agency_id("Sở Lao động - Thương binh và Xã hội") == "so-lao-dong-thuong-binh-va-xa-hoi"
    assert agency_id("——") == ""
    curated = yaml.safe_load((ROOT / "data/langson/agencies.yaml").read_text("utf-8"))
    same = sum(agency_id(a["name"]) == a["id"] for a in curated)
    assert same / len(curated) >= 0.85  # the rest were shortened by hand (ubnd-tinh, ...)


def test_a_taken_id_gets_a_suffix_never_the_other_agency(log, tmp_path):
    log.append([Fact("agency", "ubnd-tinh", {"id": "ubnd-tinh", "name": "UBND Lạng Sơn",
                                             "kind": "provincial_committee"},
                     Source("test", 1, "x"))])
    import_file(log, write_csv(tmp_path / "a.csv", [["Tên cơ quan", "Loại cơ quan"],
                                                    ["Ủy ban nhân dân tỉnh", "UBND tỉnh"]]))
    assert agencies_of(log)["ubnd-tinh-2"]["name"] == "Ủy ban nhân dân tỉnh"
    assert agencies_of(log)["ubnd-tinh"]["name"] == "UBND Lạng Sơn"


VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ"
              "úùủũụứừửữựýỳỷỹỵ")
LETTER = st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + "0123456789")
NAME = st.builds(lambda head, rest: head + rest, LETTER,
                 st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 -–,.()&/%'",
                         max_size=150))


@settings(max_examples=300, deadline=None)
@given(name=NAME)
def test_any_vietnamese_name_gives_a_non_empty_ascii_kebab_id(name):
    key = agency_id(name)
    assert key and key.isascii() and ID_PATTERN.fullmatch(key) and len(key) <= MAX_ID_CHARS


@settings(max_examples=200, deadline=None)
@given(names=st.lists(NAME, min_size=2, max_size=8))
def test_different_names_never_share_an_id(names):
    """Same name (folded) twice → refused as a duplicate; different names → different ids."""
    entries = [AgencyEntry(n, Place(document="t", row=i), kind="sở")
               for i, n in enumerate(names, start=2)]
    built = build_agencies(entries, Matcher("agency"))
    keys = [f.key for f in built.facts]
    assert len(keys) == len(set(keys))
    assert all(p.code == "duplicate_row" for p in built.problems)
    assert len(built.facts) + len(built.problems) >= len({fold(n) for n in names})
    by_key = {f.key: f.payload["name"] for f in built.facts}
    assert len({fold(n) for n in by_key.values()}) == len(by_key)


@settings(max_examples=200, deadline=None)
@given(name=NAME, extra=st.integers(0, 5))
def test_unique_id_skips_every_taken_id(name, extra):
    base = agency_id(name)
    taken = {base, *(f"{base[:MAX_ID_CHARS - len(str(n)) - 1]}-{n}" for n in range(2, extra + 2))}
    key = unique_id(name, taken)
    assert key not in taken and ID_PATTERN.fullmatch(key) and len(key) <= MAX_ID_CHARS


# -- kinds from the head word --------------------------------------------------------------------

def test_kind_from_the_head_word_never_contradicts_the_curated_kinds():
    curated = yaml.safe_load((ROOT / "data/langson/agencies.yaml").read_text("utf-8"))
    names = [(n, a["kind"]) for a in curated
             for n in [a["name"], *([a["short"]] if a.get("short") else []),
                       *(a.get("aliases") or [])]]
    guesses = [(n, kind, guess_kind(n, "province")) for n, kind in names]
    assert [g for g in guesses if g[2] is not None and g[2] != g[1]] == []
    assert sum(g[2] is not None for g in guesses) / len(guesses) >= 0.9


@pytest.mark.parametrize(("name", "jurisdiction_kind", "kind"), [
    ("Sở Nông nghiệp và Môi trường tỉnh Đồng Nai", "province", "department"),
    ("UBND thành phố Hà Nội", None, "provincial_committee"),
    ("UBND thành phố Biên Hòa", None, "district_committee"),
    ("Ủy ban nhân dân phường Tân Phong", None, "commune_committee"),
    ("Thường trực HĐND tỉnh", None, "provincial_council"),
    ("Hội đồng nhân dân huyện Tân Phú", None, None),
    ("Thành ủy Hà Nội", None, "party_committee"),
    ("Bộ Tài chính", "ministry", "ministry"),
    ("Bộ Chỉ huy Quân sự tỉnh", "province", "central_branch"),
    ("Văn phòng Chính phủ", "ministry", "ministry"),
    ("Cục Thuế", "province", "central_branch"),
    ("Cục Thuế", "ministry", "ministry_unit"),
    ("Bảo hiểm xã hội Việt Nam", "province", None),
    ("Liên đoàn Lao động tỉnh", "province", "association"),
    ("Trường Đại học Đồng Nai", "province", None),
    ("Ban Chỉ đạo 389 tỉnh", "province", None),
    # lead names of the corpus documents (bench/gold), not written around
    ("Đại học Bách khoa Hà Nội", None, None),
    ("Ngân hàng Nhà nước Việt nam Chi nhánh Khu vực II", None, "central_branch"),
    ("Ngân hàng Nhà nước Việt Nam", None, "ministry"),
    ("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", None, "association"),
    ("Kho bạc Khu vực số 18", None, "central_branch"),
    ("Báo và Phát thanh, Truyền hình tỉnh Đồng Nai", None, "provincial_body"),
    ("Thuế tỉnh Đồng Tháp", None, "central_branch"),
    ("Các sở, ban, ngành tỉnh", None, None),
    ("bộ, ngành liên quan", None, None),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", None, None),
])
def test_kind_guesses(name, jurisdiction_kind, kind):
    assert guess_kind(name, jurisdiction_kind) == kind


# -- proposals from an extraction -----------------------------------------------------------------

def test_propose_agency_and_its_fact(log, tmp_path):
    import_file(log, write_csv(tmp_path / "a.csv", AGENCIES))
    known = matcher_from_log(log, "agency")
    proposed = propose_agency("  Ủy ban nhân dân  huyện Tân Phú ", "dong-nai", known,
                              document="data/corpus/x.md", line=12, quote="giao UBND huyện")
    assert (proposed.id, proposed.name, proposed.short, proposed.kind, proposed.head_word) == (
        "ubnd-huyen-tan-phu", "Ủy ban nhân dân huyện Tân Phú", "UBND huyện Tân Phú",
        "district_committee", "Ủy")
    fact = agency_fact(proposed)
    assert (fact.kind, fact.key, fact.payload["jurisdiction"]) == (
        "agency", "ubnd-huyen-tan-phu", "dong-nai")
    assert fact.source == Source("data/corpus/x.md", 12, "giao UBND huyện")
    assert proposed.to_dict()["kind_label"] == "UBND huyện"
    unknown_kind = propose_agency("Trung tâm Phục vụ hành chính công", "dong-nai", known)
    assert unknown_kind.kind is None and unknown_kind.head_word is None
    with pytest.raises(AgencyError) as caught:
        propose_agency("Sở NN&MT", "dong-nai", known)
    assert caught.value.code == "agency_known" and "so-nong-nghiep-va-moi-truong" in \
        caught.value.vi


def test_a_parent_whose_own_row_is_wrong_is_named_as_such(log, tmp_path):
    rows = [HEADER, ["Sở Y tế", "", "", "Trung tâm Y tế", "", "", ""],
            ["Trung tâm Y tế", "", "", "", "", "", ""]]  # no kind: its row is wrong
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "p.csv", rows)))
    assert [(p.place.row, p.place.field, p.code) for p in problems] == [
        (2, "parent", "agency_row_invalid"), (3, "kind", "agency_kind_unknown")]
    assert "hàng 3" in problems[0].vi and "row 3" in problems[0].en


def test_a_proposal_reads_the_tier_from_its_jurisdiction():
    empty = Matcher("agency")
    assert propose_agency("Cục Thuế", "dong-nai", empty).kind == "central_branch"
    assert propose_agency("Cục Thuế", "bo-tai-chinh", empty).kind == "ministry_unit"
    assert propose_agency("Văn phòng Đoàn ĐBQH và HĐND", "dong-nai", empty).kind == \
        "provincial_body"
