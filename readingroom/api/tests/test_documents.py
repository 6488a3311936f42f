"""The OpenAPI document, the documentation page under the CSP, and the API's error shape."""

import html5lib
import pytest
from django.test import Client

from readingroom.api.main import api

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_operation_with_its_errors(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    operation_ids = []
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            operation_ids.append(operation["operationId"])
            codes = {int(c) for c in operation["responses"]}
            assert {401, 422, 429} <= codes, (method, path)
            if "{" in path:
                assert 404 in codes, (method, path)
            for code in codes - {200, 201, 204}:
                content = operation["responses"][str(code)]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}
    assert len(operation_ids) == len(set(operation_ids))
    assert len(operation_ids) >= 37


def test_every_text_input_is_bounded():
    """Every string a client can send (path, query, body) has a maxLength or is an enum."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = schema["components"]["schemas"]
    unbounded = []

    def visit(where, node):
        if isinstance(node, dict):
            if "$ref" in node:
                visit(where, components[node["$ref"].rsplit("/", 1)[1]])
            if node.get("type") == "string" and "enum" not in node and "maxLength" not in node:
                unbounded.append(where)
            if node.get("type") == "array" and "maxItems" not in node:
                unbounded.append(f"{where} (array)")
            for key, value in node.items():
                if key != "$ref":
                    visit(f"{where}.{key}", value)
        elif isinstance(node, list):
            for value in node:
                visit(where, value)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation["parameters"]:
                visit(f"{method} {path} {parameter['name']}", parameter["schema"])
            if "requestBody" in operation:
                visit(f"{method} {path} body", operation["requestBody"])
    assert not unbounded, unbounded


def test_the_docs_page_runs_swagger_from_our_static_files_with_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    assert tree.get("lang") == "en-GB"
    scripts = tree.findall(".//script")
    assert {s.get("src") for s in scripts if s.get("src")} == {
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    }
    assert [s.get("type") for s in scripts if not s.get("src")] == ["application/json"]  # data, not code
    assert not [e for e in tree.iter() if isinstance(e.tag, str) and e.get("style")]
    assert "cdn" not in response.content.decode().lower()


def test_the_docs_page_passes_the_csrf_token_only_to_a_signed_in_member(member):
    visitor, signed_in = Client(), Client()
    signed_in.force_login(member)
    assert 'data-csrf-token=""' in visitor.get("/api/v1/docs").content.decode()
    assert 'data-api-csrf="true"' in signed_in.get("/api/v1/docs").content.decode()


def test_the_root_points_at_the_documents(client):
    data = client.get("/api/v1/").json()
    assert data["docs_url"].endswith("/api/v1/docs") and data["openapi_url"].endswith("/api/v1/openapi.json")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no/such/thing", 404, "not_found"),
        ("get", "/api/v1/posts/999999", 404, "not_found"),
        ("put", "/api/v1/posts/1", 405, "method_not_allowed"),
        ("get", "/api/v1/me", 401, "not_authenticated"),
        ("get", "/api/v1/posts/abc", 422, "validation_failed"),
    ],
)
def test_every_failure_has_the_same_json_shape(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_a_wrong_method_names_the_allowed_ones(client):
    response = client.put("/api/v1/posts/1")
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}


def test_schema_class_names_are_unique_so_none_replaces_another_in_the_document():
    """django-ninja names OpenAPI components by class name: two classes of one name (say, a
    portfolio file's `PostIn` and the posts API's) silently share one schema, and one of the two
    operations is then documented and validated wrongly."""
    import sys

    from pydantic import BaseModel

    api.get_openapi_schema(path_prefix="/api/v1/")  # every module the API uses is imported now
    seen: dict[str, str] = {}
    clashes = []
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("readingroom.") or ".tests" in module_name:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module_name:
                where = seen.setdefault(value.__name__, module_name)
                if where != module_name:
                    clashes.append((value.__name__, where, module_name))
    assert not clashes, clashes
