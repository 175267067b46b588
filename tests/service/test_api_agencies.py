"""``POST /api/v1/agencies`` and ``PATCH /api/v1/agencies/{id}`` check an agency as the
template's agencies sheet and ``kehoach agency add`` do (``kg.agency_entries.build_agencies``,
issue 16): a field that fails is 422 naming it, Vietnamese first; a name another agency has is
409 ``agency_exists`` naming that agency; a PATCH is the explicit update, under If-Match."""

from __future__ import annotations

import pytest

from tests.service.conftest import bearer

ADMIN = bearer("admin")
NEW = {"id": "so-xay-dung", "name": "Sở Xây dựng", "kind": "department", "parent": "ubnd-tinh"}


def post(client, body: dict):
    return client.post("/api/v1/agencies", json=body, headers=ADMIN)


def test_a_new_agency_reads_its_kind_words_and_its_parent_by_id(client):
    created = post(client, {**NEW, "kind": "sở"})
    assert created.status_code == 201, created.text
    assert created.json()["counts"] == {"new": 1}
    stored = client.get("/api/v1/agencies/so-xay-dung", headers=ADMIN).json()
    assert (stored["name"], stored["kind"], stored["parent"]) == (
        "Sở Xây dựng", "department", "ubnd-tinh")


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"kind": "phòng"}, "kind", "not_a_choice"),
    ({"parent": "so-khong-co"}, "parent", "unknown_agency"),
    ({"name": "———"}, "name", "agency_name"),
    ({"valid_from": "2025-07-01", "valid_until": "2025-01-01"}, "valid_until",
     "valid_until_early"),
])
def test_a_bad_field_is_422_naming_it_in_both_languages(client, change, field, code):
    response = post(client, {**NEW, **change})
    assert response.status_code == 422, response.text
    data = response.json()
    assert data["code"] == code and data["ok"] is False
    item = data["errors"][0]
    assert (item["field"], item["code"]) == (field, code)
    assert f"trường '{field}'" in item["error_vi"] and f"field '{field}'" in item["error_en"]
    assert data["error_vi"] != data["error_en"]
    assert client.get("/api/v1/agencies/so-xay-dung", headers=ADMIN).status_code == 404


def test_a_known_name_under_a_new_id_is_409_naming_that_agency(client):
    response = post(client, {"id": "so-y-te-moi", "name": "Sở Y TẾ", "kind": "department"})
    assert response.status_code == 409, response.text
    data = response.json()
    assert data["code"] == "agency_exists"
    item = data["errors"][0]
    assert (item["field"], item["agency"], item["agency_name"]) == ("name", "so-y-te", "Sở Y tế")
    assert "so-y-te" in data["error_vi"] and "so-y-te" in data["error_en"]
    assert client.get("/api/v1/agencies/so-y-te-moi", headers=ADMIN).status_code == 404


def test_a_known_id_is_409_already_exists_use_patch(client):
    response = post(client, {"id": "so-y-te", "name": "Sở Y tế", "kind": "department"})
    assert response.status_code == 409
    assert response.json()["code"] == "already_exists" and "PATCH" in response.json()["error_en"]


def test_patch_is_the_explicit_update_with_if_match(client):
    path = "/api/v1/agencies/so-y-te"
    tag = client.get(path, headers=ADMIN).headers["ETag"]
    patched = client.patch(path, json={"name_en": "Department of Health", "parent": None},
                           headers={**ADMIN, "If-Match": tag})
    assert patched.status_code == 200, patched.text
    record = client.get(path, headers=ADMIN)
    assert record.headers["ETag"] == patched.headers["ETag"] != tag
    data = record.json()
    assert (data["name"], data["kind"], data["parent"], data["version"]) == (
        "Sở Y tế", "department", None, 2)
    stale = client.patch(path, json={"name_en": "Health"}, headers={**ADMIN, "If-Match": tag})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"


def test_patch_to_another_agencys_name_is_409_and_bad_fields_422(client):
    path = "/api/v1/agencies/so-y-te"
    taken = client.patch(path, json={"name": "Sở Tài chính"}, headers=ADMIN)
    assert taken.status_code == 409 and taken.json()["code"] == "agency_exists"
    assert taken.json()["errors"][0]["agency"] == "so-tai-chinh"
    cycle = client.patch("/api/v1/agencies/ubnd-tinh", json={"parent": "so-y-te"},
                         headers=ADMIN)
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["field"] == "parent"
    assert cycle.json()["code"] == "agency_parent_cycle"
    nameless = client.patch(path, json={"name": None}, headers=ADMIN)
    assert nameless.status_code == 422 and nameless.json()["errors"][0]["field"] == "name"
    assert client.get(path, headers=ADMIN).json()["version"] == 1


def test_succeeded_by_is_checked_and_kept(client):
    unknown = client.patch("/api/v1/agencies/so-y-te", json={"succeeded_by": "so-khong-co"},
                           headers=ADMIN)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "succeeded_by"
    merged = client.patch("/api/v1/agencies/so-y-te", json={
        "valid_until": "2025-06-30", "succeeded_by": "so-tai-chinh"}, headers=ADMIN)
    assert merged.status_code == 200, merged.text
    renamed = client.patch("/api/v1/agencies/so-y-te", json={"name_en": "Health"},
                           headers=ADMIN)
    assert renamed.status_code == 200
    with_history = client.get("/api/v1/agencies/so-y-te", headers=ADMIN).json()
    assert (with_history["version"], with_history["valid_until"], with_history["succeeded_by"],
            with_history["name_en"]) == (3, "2025-06-30", "so-tai-chinh", "Health")


def test_the_openapi_document_names_the_agency_refusals(client):
    spec = client.get("/openapi.json").json()["paths"]
    post_errors = spec["/api/v1/agencies"]["post"]["responses"]
    patch_errors = spec["/api/v1/agencies/{agency_id}"]["patch"]["responses"]
    for responses in (post_errors, patch_errors):
        assert "agency_exists" in responses["409"]["description"]
        assert "jurisdiction" in responses["422"]["description"]


def test_a_new_office_posts_agencies_as_the_template_writes_them(client):
    """No id, no kind: the id from the name, the kind from its head word; the parent by name,
    the jurisdiction by name, aliases — as the "Cơ quan" sheet and `kehoach agency add`."""
    committee = post(client, {"name": "Ủy ban nhân dân tỉnh Đồng Nai", "short": "UBND tỉnh ĐN",
                              "jurisdiction": "dong-nai"})
    assert committee.status_code == 201, committee.text
    assert committee.json()["facts"][0]["key"] == "ubnd-tinh-dong-nai"
    dept = post(client, {"name": "Sở Nông nghiệp và Môi trường", "parent": "UBND tỉnh ĐN",
                         "jurisdiction": "Đồng Nai", "aliases": ["Sở NN&MT"]})
    assert dept.status_code == 201, dept.text
    stored = client.get("/api/v1/agencies/so-nong-nghiep-va-moi-truong", headers=ADMIN).json()
    assert (stored["kind"], stored["parent"], stored["jurisdiction"], stored["aliases"]) == (
        "department", "ubnd-tinh-dong-nai", "dong-nai", ["Sở NN&MT"])
    committee_kind = client.get("/api/v1/agencies/ubnd-tinh-dong-nai", headers=ADMIN).json()
    assert committee_kind["kind"] == "provincial_committee"


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"name": "Trung tâm Phục vụ hành chính công"}, "kind", "agency_kind_unknown"),
    ({"name": "Sở Xây dựng", "jurisdiction": "Atlantis"}, "jurisdiction", "unknown_jurisdiction"),
    ({"name": "Sở Xây dựng", "id": "So-Xay-Dung"}, "id", "string_pattern_mismatch"),
])
def test_what_the_template_refuses_the_api_refuses(client, body, field, code):
    response = post(client, body)
    assert response.status_code == 422, response.text
    item = response.json()["errors"][0]
    assert (item["field"], item["code"]) == (field, code)


def test_a_short_name_or_alias_of_another_agency_is_409(client):
    assert post(client, {"name": "Sở Xây dựng", "aliases": ["SXD"]}).status_code == 201
    again = post(client, {"name": "Sở Xây Dựng"})  # the same name: an update needs PATCH
    assert again.status_code == 409 and again.json()["code"] in {"agency_exists",
                                                                 "already_exists"}
    alias = post(client, {"name": "Sở Giao thông vận tải", "short": "SXD"})
    assert alias.status_code == 409, alias.text
    item = alias.json()["errors"][0]
    assert (item["code"], item["agency"], item["update_with"]) == (
        "agency_exists", "so-xay-dung", "PATCH /api/v1/agencies/so-xay-dung")


def test_patch_adds_aliases_and_sets_the_jurisdiction(client):
    path = "/api/v1/agencies/so-tai-chinh"
    first = client.patch(path, json={"aliases": ["STC"], "jurisdiction": "lang-son"},
                         headers=ADMIN)
    assert first.status_code == 200, first.text
    second = client.patch(path, json={"aliases": ["Sở TC"], "kind": "sở"}, headers=ADMIN)
    assert second.status_code == 200, second.text
    data = client.get(path, headers=ADMIN).json()
    assert (data["aliases"], data["jurisdiction"], data["kind"], data["parent"]) == (
        ["STC", "Sở TC"], "lang-son", "department", "ubnd-tinh")
    taken = client.patch("/api/v1/agencies/so-y-te", json={"aliases": ["STC"]}, headers=ADMIN)
    assert taken.status_code == 409 and taken.json()["errors"][0]["agency"] == "so-tai-chinh"


def test_concurrent_patches_of_one_agency_keep_both_fields(client):
    """The explicit update is merged under the write lock like every edit: two PATCHes sent
    together (one the short name, one the English name) both land."""
    from tests.service.test_security_edits import _both_at_once

    path = "/api/v1/agencies/so-y-te"
    for i in range(10):
        bodies = [{"short": f"SYT {i}"}, {"name_en": f"Health {i}"}]
        assert _both_at_once([client], path, bodies) == [200, 200]
        record = client.get(path, headers=ADMIN).json()
        assert (record["short"], record["name_en"]) == (f"SYT {i}", f"Health {i}"), i
