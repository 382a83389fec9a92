"""Request ids, a Prometheus /metrics endpoint with per-route counts and latencies, and pool use."""

from __future__ import annotations


def test_every_response_carries_a_request_id(client):
    r = client.get("/api/v1/provinces")
    assert len(r.headers["x-request-id"]) >= 16
    assert client.get("/", headers={"X-Request-ID": "trace-abc"}).headers["x-request-id"] == "trace-abc"


def test_metrics_count_requests_by_route_template(client, make_product):
    product = make_product(status="published")
    client.get(f"/api/v1/products/{product.id}")
    client.get("/api/v1/products/999999")
    body = client.get("/metrics").text
    assert 'odop_http_requests_total{method="GET",route="/api/v1/products/{product_id}",status="200"}' in body
    assert 'route="/api/v1/products/{product_id}",status="404"' in body
    assert "odop_http_request_duration_seconds_bucket" in body
    assert "odop_db_pool_checked_out" in body
    assert f'/api/v1/products/{product.id}"' not in body  # raw paths never become labels
