"""Hostile input: schemathesis generates requests for every operation of /api/v1/openapi.json, valid and
invalid, as each kind of caller, and checks that the service never answers 5xx and that every answer
matches the schema the OpenAPI document gives for it.

Bounded so that CI stays fast: a few examples per operation (ODOP_FUZZ_EXAMPLES, default 4, about
half schema-valid and half schema-invalid), derandomized (the same requests on every run), no
shrinking, and a time budget per caller (ODOP_FUZZ_SECONDS, default 5 s): operations left when it is
spent are skipped for that caller, in an order that rotates between callers, and the last test checks
that every operation was fuzzed by at least one of them. Raise both variables for a deeper hunt.

Path parameters are, half of the time, taken from a small world (tests/security/conftest.py), so that
requests reach real objects and their rules and not only 404s, or set to ids out of any column's
range. Each request runs in a savepoint that is rolled back, so no request changes what the next one
sees: nothing needs to be skipped as destructive (a DELETE does not remove the world), and a logout
uses a token of its own. The checks: no 5xx; the body matches the schema documented for the status
(errors included: problem+json, see app.web.errors.document_problems); every error is problem+json.
"""

from __future__ import annotations

import os
import time
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

try:
    import schemathesis
except ImportError:  # a dev dependency (pyproject's dev extras); CI must have it
    if os.environ.get("CI"):
        raise
    pytest.skip("schemathesis is not installed: pip install -e '.[dev]'", allow_module_level=True)
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.security.conftest import ROLES, World, isolated

EXAMPLES = int(os.environ.get("ODOP_FUZZ_EXAMPLES", "4"))
SECONDS_PER_ROLE = float(os.environ.get("ODOP_FUZZ_SECONDS", "5"))


def errors_are_problem_json(ctx, response, case) -> None:  # type: ignore[no-untyped-def]
    """Every error is RFC 9457 problem+json whose `status` is the response's (API.md, Conventions)."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/problem+json"), f"{response.status_code} as {content_type!r}"
    body = response.json()
    assert isinstance(body, dict) and body.get("status") == response.status_code, body


CHECKS = [not_a_server_error, response_schema_conformance, errors_are_problem_json]


@pytest.fixture(scope="module")
def schema(app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def world_values(world: World) -> dict[str, list[Any]]:
    """Real values for each path parameter name the API uses."""
    return {
        "producer_id": [world.producer_id, world.unowned_producer_id],
        "product_id": [world.published_id, world.draft_id, world.submitted_id],
        "image_id": world.image_ids,
        "showroom_id": [world.showroom_id],
        "listing_id": [world.listing_id],
        "buyer_id": [world.buyer_id, world.stranger_buyer_id],
        "inquiry_id": [world.inquiry_id],
        "event_id": [world.event_id],
        "participant_id": [world.buyer_participant_id, world.producer_participant_id],
        "request_id": [world.request_id],
        "meeting_id": [world.meeting_id],
        "table": [1, 2],
        "code": ["LA-LP", "LA-VT"],
    }


_STRATEGIES: dict[tuple[str, str], Any] = {}

# Integers that no id column can hold, or that are ids of nothing: each path parameter meets them too.
EXTREME_IDS = [0, -1, 2**31, 2**63, -(10**30)]


def with_world_ids(operation, world: World):  # type: ignore[no-untyped-def]
    """Cases of `operation`, half schema-valid and half not; half of them aimed at the world's objects
    (or at ids out of any column's range)."""
    values = {name: [*found, *EXTREME_IDS] if name != "code" else found for name, found in world_values(world).items()}
    key = (operation.method, operation.path)
    if key not in _STRATEGIES:  # building them is most of the cost: once per run, not once per caller
        _STRATEGIES[key] = st.one_of(
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
        )
    cases = _STRATEGIES[key]

    def aim(case, choose):  # type: ignore[no-untyped-def]
        if case.path_parameters:
            for name in list(case.path_parameters):
                if name in values and choose(st.booleans()):
                    case.path_parameters[name] = choose(st.sampled_from(values[name]))
        return case

    return st.builds(lambda case, data: aim(case, data.draw), cases, st.data())


def run_operation(operation, world: World, db, role: str, deadline: float) -> tuple[str | None, int]:  # type: ignore[no-untyped-def]
    """Fuzz one operation as `role`: the first problem found (or None), and how many requests were sent."""
    problems: list[str] = []
    sent = [0]

    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(case=with_world_ids(operation, world))
    def fuzz(case) -> None:  # type: ignore[no-untyped-def]
        if problems or time.monotonic() > deadline:
            return
        with isolated(db):
            headers = world.headers[role]
            if operation.path.endswith("/auth/logout") and role != "anonymous":
                # logging out ends the token: use one of its own, not the one every later request needs
                headers = throwaway_token(db, world.user_ids[role])
            sent[0] += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except (AssertionError, FailureGroup) as exc:  # what schemathesis raises for failed checks
                problems.append(f"{operation.method.upper()} {operation.path} as {role}:\n{exc}")

    fuzz()
    return (problems[0] if problems else None), sent[0]


def throwaway_token(db, user_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    import datetime as dt

    from app.auth import service
    from app.auth.models import SessionKind, User

    with db.session(write=True) as session:
        secret = service.start_session(session, session.get(User, user_id), SessionKind.bearer, dt.timedelta(minutes=5))
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_every_response_matches_its_schema(schema, app, client, db, world, role):
    operations = sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: (op.path, op.method))
    # rotate the order per caller: with a tight budget every operation is still fuzzed by someone
    shift = ROLES.index(role) * len(operations) // len(ROLES)
    operations = operations[shift:] + operations[:shift]

    deadline = time.monotonic() + SECONDS_PER_ROLE
    problems, done = [], 0
    for operation in operations:
        if time.monotonic() > deadline:
            break
        app.state.limiter.reset()  # rate limits would turn most requests into 429s
        problem, sent = run_operation(operation, world, db, role, deadline)
        if sent:
            done += 1
            FUZZED.add((operation.method.upper(), operation.path))
        if problem:
            problems.append(problem)
    ROLES_RUN.add(role)
    print(f"{role}: fuzzed {done} of {len(operations)} operations")
    assert not problems, "\n\n".join(problems)


FUZZED: set[tuple[str, str]] = set()
ROLES_RUN: set[str] = set()


def test_every_operation_was_fuzzed_by_some_caller(schema):
    """The time budget may stop a caller early; the rotation must still leave no operation untested."""
    if set(ROLES) != ROLES_RUN:
        pytest.skip("runs after the test above, for every caller")
    everything = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert everything - FUZZED == set(), "raise ODOP_FUZZ_SECONDS: these operations were never fuzzed"
