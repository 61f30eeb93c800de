"""Every route of the OpenAPI document, swept: bad ids are 404 or 422, never 500; unknown parameters are named.

The routes come from the document itself, so a route added later is swept too.
"""
import re

import pytest

BAD_IDS = ["0", "-1", str(2 ** 31), str(2 ** 63), str(2 ** 64 + 7), "abc", "1e3", "1.5", "%20", "9" * 40, "ff" * 200]
BAD_QUERY_VALUES = {"page": ["0", "-1", str(2 ** 63), "x"], "per_page": ["0", "100000", "x"],
                    "plan": ["0", "-1", str(2 ** 31), str(2 ** 63), "x"],
                    "due_before": ["yesterday", "99999-01-01", "2022-13-45"],
                    "due_after": ["2022-02-30", "x"], "status": ["bogus"], "province": ["x" * 500]}


@pytest.fixture(scope="module")
def document(databases, seeded_database, tmp_path_factory):
    from server import create_app
    url = databases.copy(seeded_database, tmp_path_factory.mktemp("doc"), "doc")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "TESTING": True})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    app.extensions["planflow"].database.dispose()
    return document


def routes(document):
    for path, operations in document["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path


def test_the_document_lists_the_routes_that_take_ids(document):
    with_ids = [path for _, path in routes(document) if "{" in path]
    assert len(with_ids) >= 8, with_ids


def test_every_route_answers_a_bad_id_with_404_or_422(document, as_user):
    coordinator, member = as_user("dieuphoi"), as_user("congan")
    answered = []
    for method, path in routes(document):
        if "{" not in path:
            continue
        for bad in BAD_IDS:
            url = "/api/v1" + re.sub(r"\{[^}]+\}", bad, path.removeprefix("/api/v1"))
            for client in (coordinator, member):
                response = client.get(url) if method == "get" else client.send(method, url, json={})
                answered.append((method, url, response.status_code))
                assert response.status_code in (404, 422), (method, url, response.status_code, response.get_data())
                assert response.mimetype == "application/problem+json", (method, url)
    assert len(answered) > 100


def test_every_route_names_a_query_parameter_it_does_not_take(document, as_user, app):
    coordinator = as_user("dieuphoi")
    for method, path in routes(document):
        if "{" in path:
            continue
        url = path + "?bogus_parameter=1"
        response = coordinator.get(url) if method == "get" else coordinator.send(method, url, json={})
        assert response.status_code == 422, (method, url, response.status_code)
        body = response.get_json()
        assert "bogus_parameter" in body["detail"] or "bogus_parameter" in (body.get("errors") or {}), (url, body)


@pytest.mark.parametrize("name", list(BAD_QUERY_VALUES))
def test_a_bad_value_of_a_query_parameter_is_422_not_500(name, as_user):
    coordinator = as_user("dieuphoi")
    route = "/api/v1/agencies" if name == "province" else "/api/v1/tasks"
    for value in BAD_QUERY_VALUES[name]:
        response = coordinator.get(f"{route}?{name}={value}")
        assert response.status_code == 422, (name, value, response.status_code, response.get_data())
        assert name in response.get_json()["detail"] or name in response.get_json().get("errors", {})


def test_a_method_a_route_does_not_take_gets_405_with_allow_even_with_query_parameters(as_user):
    """Not a 422 for the query: the route does not take the method at all."""
    answer = as_user("dieuphoi").http.open("/api/v1/tasks?per_page=5&plan=1", method="TRACE",
                                           base_url="https://localhost",
                                           headers={"Authorization": as_user("dieuphoi").headers["Authorization"]})
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_the_drafts_address_takes_post_only(as_user):
    coordinator = as_user("dieuphoi")
    answer = coordinator.http.open("/api/v1/templates/drafts", method="OPTIONS", base_url="https://localhost",
                                   headers={"Authorization": coordinator.headers["Authorization"]})
    assert set(answer.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_a_token_needs_no_body(as_user):
    made = as_user("congan", session=True).post("/api/v1/tokens")
    assert made.status_code == 201 and made.get_json()["name"] == "API token"
