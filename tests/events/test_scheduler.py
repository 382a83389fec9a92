"""Tests of the business-matching scheduler (pure: no database, no web)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.events.scheduler import (
    DEFAULT_WEIGHTS,
    MeetingRequest,
    Participant,
    PreviousMeeting,
    ProposedPair,
    Schedule,
    SchedulingProblem,
    Side,
    first_fit_schedule,
    optimise_schedule,
    pair_value,
)

B, P = Side.BUYER, Side.PRODUCER
FAST = {"time_limit_seconds": 5.0}


def buyer(pid: int, unavailable: set[int] = frozenset(), languages: set[str] = frozenset({"lo"})) -> Participant:
    return Participant(pid, B, unavailable, languages)


def producer(pid: int, unavailable: set[int] = frozenset(), languages: set[str] = frozenset({"lo"})) -> Participant:
    return Participant(pid, P, unavailable, languages)


def expected_values(problem: SchedulingProblem) -> dict[tuple[int, int], tuple[int, bool]]:
    """(buyer, producer) -> (value, is a request), computed independently of the module."""
    people = {p.id: p for p in problem.participants}
    asked: dict[tuple[int, int], dict[Side, int]] = defaultdict(dict)
    for r in problem.requests:
        a, b = people.get(r.from_participant_id), people.get(r.to_participant_id)
        if a is None or b is None or a.side == b.side:
            continue
        key = (a.id, b.id) if a.side == B else (b.id, a.id)
        asked[key][a.side] = max(asked[key].get(a.side, 0), r.priority)
    values = {k: (pair_value(v.get(B), v.get(P), problem.weights), True) for k, v in asked.items()}
    for prop in problem.proposed:
        b, p = people.get(prop.buyer_id), people.get(prop.producer_id)
        if b is not None and p is not None and b.side == B and p.side == P:
            old = values.get((b.id, p.id), (0, False))
            values[b.id, p.id] = (max(old[0], prop.value), old[1])
    return values


def requesters(problem: SchedulingProblem) -> set[int]:
    people = {p.id: p for p in problem.participants}
    out: set[int] = set()
    for r in problem.requests:
        a, b = people.get(r.from_participant_id), people.get(r.to_participant_id)
        if a is not None and b is not None and a.side != b.side:
            out |= {a.id, b.id}
    return out


def check_hard_rules(problem: SchedulingProblem, schedule: Schedule) -> None:
    """Every hard rule, checked on the output alone."""
    people = {p.id: p for p in problem.participants}
    values = expected_values(problem)
    busy: set[tuple[int, int]] = set()
    tables_used: set[tuple[int, int]] = set()
    per_slot: Counter[int] = Counter()
    interpreted: Counter[int] = Counter()
    met_pairs: set[tuple[int, int]] = set()
    for m in schedule.meetings:
        b, p = people[m.buyer_id], people[m.producer_id]
        assert b.side == B and p.side == P, m
        assert 0 <= m.slot < problem.slots and 1 <= m.table <= problem.tables, m
        assert m.slot not in b.unavailable_slots and m.slot not in p.unavailable_slots, m
        for pid in (b.id, p.id):
            assert (pid, m.slot) not in busy, f"{pid} twice in slot {m.slot}"
            busy.add((pid, m.slot))
        assert (m.slot, m.table) not in tables_used, m
        tables_used.add((m.slot, m.table))
        assert (b.id, p.id) not in met_pairs, m
        met_pairs.add((b.id, p.id))
        assert (b.id, p.id) in values, f"{m} was neither requested nor proposed"
        assert m.value == values[b.id, p.id][0]
        assert m.proposed == (not values[b.id, p.id][1])
        needs = not (b.languages & p.languages)
        assert m.needs_interpreter == needs
        per_slot[m.slot] += 1
        interpreted[m.slot] += needs
    assert all(n <= problem.tables for n in per_slot.values())
    if problem.interpreters_per_slot is not None:
        assert all(n <= problem.interpreters_per_slot for n in interpreted.values())
    assert schedule.total_value == sum(m.value for m in schedule.meetings)
    met = {m.buyer_id for m in schedule.meetings} | {m.producer_id for m in schedule.meetings}
    assert set(schedule.uncovered_participant_ids) == requesters(problem) - met
    unscheduled = {(u.buyer_id, u.producer_id) for u in schedule.unscheduled_requests}
    assert unscheduled == {k for k, (_, req) in values.items() if req} - met_pairs
    if schedule.bound is not None:
        assert schedule.objective <= schedule.bound + 1e-9
        assert schedule.gap is not None and 0 <= schedule.gap <= 1
    placed = {(m.buyer_id, m.producer_id): (m.slot, m.table) for m in schedule.meetings}
    previous = problem.previous_meetings
    assert list(schedule.dropped) == [pm for pm in previous if (pm.buyer_id, pm.producer_id) not in placed]
    assert [(mv.previous, (mv.slot, mv.table)) for mv in schedule.moved] == [
        (pm, placed[pm.buyer_id, pm.producer_id])
        for pm in previous
        if (pm.buyer_id, pm.producer_id) in placed and placed[pm.buyer_id, pm.producer_id] != (pm.slot, pm.table)
    ]
    assert schedule.kept_count == len(previous) - len(schedule.moved) - len(schedule.dropped)
    if not previous:
        covered = len(requesters(problem) & met)
        assert schedule.objective == schedule.total_value + problem.weights.coverage_bonus * covered


def brute_force_optimum(problem: SchedulingProblem) -> float:
    """Best value + coverage bonus over every assignment of candidate pairs to slots (or none)."""
    people = {p.id: p for p in problem.participants}
    values = expected_values(problem)
    wanted = requesters(problem)
    cap = problem.interpreters_per_slot
    pairs = sorted(values)
    best = 0.0
    busy: set[tuple[int, int]] = set()
    count = [0] * problem.slots
    interp = [0] * problem.slots
    chosen: list[tuple[int, int]] = []

    def score() -> float:
        met = {b for b, _ in chosen} | {p for _, p in chosen}
        return sum(values[k][0] for k in chosen) + problem.weights.coverage_bonus * len(met & wanted)

    def search(k: int) -> None:
        nonlocal best
        if k == len(pairs):
            best = max(best, score())
            return
        search(k + 1)  # pair k does not meet
        b, p = pairs[k]
        needs = not (people[b].languages & people[p].languages)
        for s in range(problem.slots):
            if s in people[b].unavailable_slots or s in people[p].unavailable_slots:
                continue
            if (b, s) in busy or (p, s) in busy or count[s] >= problem.tables:
                continue
            if needs and cap is not None and interp[s] >= cap:
                continue
            busy.update({(b, s), (p, s)})
            count[s] += 1
            interp[s] += needs
            chosen.append((b, p))
            search(k + 1)
            chosen.pop()
            interp[s] -= needs
            count[s] -= 1
            busy.difference_update({(b, s), (p, s)})

    search(0)
    return best


def random_problem(
    rng: random.Random, buyers: int, producers: int, slots: int, tables: int, requests: int
) -> SchedulingProblem:
    participants = [
        Participant(
            i,
            B if i < buyers else P,
            set(rng.sample(range(slots), rng.randint(0, max(0, slots - 1)))),
            set(rng.sample(["lo", "th", "en"], rng.randint(1, 2))),
        )
        for i in range(buyers + producers)
    ]
    reqs = []
    for _ in range(requests):
        a = rng.randrange(buyers + producers)
        b = rng.randrange(buyers) if a >= buyers else rng.randrange(buyers, buyers + producers)
        reqs.append(MeetingRequest(a, b, rng.randint(1, 3)))
    return SchedulingProblem(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(reqs),
        interpreters_per_slot=rng.choice([None, 0, 1]),
    )


# ---------------------------------------------------------------------------------------------
# Hard rules on random small problems
# ---------------------------------------------------------------------------------------------


@st.composite
def small_problems(draw: st.DrawFn) -> SchedulingProblem:
    slots = draw(st.integers(0, 4))
    tables = draw(st.integers(0, 3))
    n_b, n_p = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    languages = st.sets(st.sampled_from(["lo", "th", "en", "zh"]), max_size=2)
    unavailable = st.sets(st.integers(0, max(0, slots - 1)), max_size=slots)
    participants = [Participant(i, B if i < n_b else P, draw(unavailable), draw(languages)) for i in range(n_b + n_p)]
    ids = st.integers(0, n_b + n_p)  # n_b + n_p is an unknown participant
    requests = draw(st.lists(st.builds(MeetingRequest, ids, ids, st.integers(1, 3)), max_size=12))
    proposed = draw(
        st.lists(st.builds(ProposedPair, st.integers(0, n_b - 1), st.integers(n_b, n_b + n_p - 1), st.integers(1, 9)))
    )
    previous = draw(
        st.lists(
            st.builds(
                PreviousMeeting,
                st.integers(0, n_b - 1),
                st.integers(n_b, n_b + n_p - 1),
                st.integers(0, max(0, slots - 1)),
                st.integers(1, 3),
            ),
            max_size=3,
        )
    )
    return SchedulingProblem(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
        proposed=tuple(proposed[:3]),
        previous_meetings=tuple(previous),
        interpreters_per_slot=draw(st.sampled_from([None, 0, 1, 2])),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_hard_rules_hold_on_random_problems(problem: SchedulingProblem) -> None:
    optimised = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, optimised)
    baseline = first_fit_schedule(problem)
    check_hard_rules(problem, baseline)
    assert optimised.status == "OPTIMAL"  # tiny: always proven within the limit
    assert optimised.objective >= baseline.objective


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    problem = random_problem(rng, buyers=3, producers=3, slots=3, tables=2, requests=9)
    assert len(expected_values(problem)) <= 9  # keeps the brute force at most 4^9 leaves
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    optimum = brute_force_optimum(problem)
    assert schedule.status == "OPTIMAL"
    assert schedule.objective == optimum
    assert schedule.bound == optimum
    assert schedule.gap == 0


def test_optimum_proven_when_the_aggregated_choice_cannot_be_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every per-person count fits, yet B1-P3 and B2-P3 both need P3, and B2-P3 can only be in
    # slot 2; B1 then has three meetings for slots 0 and 1. The relaxation picks all four
    # pairs, the slot assignment is infeasible, a cut follows, and the optimum (drop B1-P3,
    # everybody still met) is proven.
    from app.events import scheduler

    cores: list[list[int]] = []
    real_core = scheduler._infeasible_core

    def spy(*args: object, **kwargs: object) -> list[int] | None:
        core = real_core(*args, **kwargs)  # type: ignore[arg-type]
        cores.append(core or [])
        return core

    monkeypatch.setattr(scheduler, "_infeasible_core", spy)
    problem = SchedulingProblem(
        slots=3,
        tables=2,
        participants=(buyer(1), buyer(2, {0, 1}), producer(11, {2}), producer(12, {2}), producer(13)),
        requests=tuple(MeetingRequest(b, p, 1) for b, p in [(1, 11), (1, 12), (1, 13), (2, 13)]),
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    assert cores and all(cores)
    assert schedule.status == "OPTIMAL"
    assert schedule.objective == brute_force_optimum(problem) == 3 * 10 + 5 * DEFAULT_WEIGHTS.coverage_bonus
    assert {(m.buyer_id, m.producer_id) for m in schedule.meetings} == {(1, 11), (1, 12), (2, 13)}


def test_medium_event_is_fair_and_near_optimal() -> None:
    """Goes through the aggregated selection and colouring (not only the small-case fallback)."""
    rng = random.Random(7)
    n_b, n_p, slots = 30, 50, 8
    participants = [
        Participant(
            i,
            B if i < n_b else P,
            set(rng.sample(range(slots), rng.randint(0, 2))),
            {"lo"} if rng.random() < 0.7 else {"zh"},
        )
        for i in range(n_b + n_p)
    ]
    popular = list(range(n_b, n_b + 5))
    reqs: dict[tuple[int, int], MeetingRequest] = {}
    while len(reqs) < 400:
        b = rng.randrange(n_b)
        p = rng.choice(popular) if rng.random() < 0.4 else rng.randrange(n_b, n_b + n_p)
        a, z = (b, p) if rng.random() < 0.6 else (p, b)
        reqs[a, z] = MeetingRequest(a, z, rng.choice([1, 2, 3]))
    problem = SchedulingProblem(
        slots=slots,
        tables=10,
        participants=tuple(participants),
        requests=tuple(reqs.values()),
        interpreters_per_slot=3,
    )
    optimised = optimise_schedule(problem, **FAST)
    baseline = first_fit_schedule(problem)
    check_hard_rules(problem, optimised)
    check_hard_rules(problem, baseline)
    assert optimised.gap is not None and optimised.gap <= 0.01
    assert optimised.uncovered_count == 0 < baseline.uncovered_count


# ---------------------------------------------------------------------------------------------
# Constructed cases
# ---------------------------------------------------------------------------------------------


def test_unavailability_is_respected() -> None:
    problem = SchedulingProblem(
        slots=4,
        tables=1,
        participants=(buyer(1, {0, 1, 3}), producer(2, {0})),
        requests=(MeetingRequest(1, 2, 1),),
    )
    schedule = optimise_schedule(problem, **FAST)
    assert [(m.buyer_id, m.producer_id, m.slot, m.table) for m in schedule.meetings] == [(1, 2, 2, 1)]


def test_no_common_slot_is_reported() -> None:
    problem = SchedulingProblem(
        slots=2,
        tables=1,
        participants=(buyer(1, {0}), producer(2, {1})),
        requests=(MeetingRequest(1, 2, 3),),
    )
    schedule = optimise_schedule(problem, **FAST)
    assert schedule.meetings == ()
    assert [(u.buyer_id, u.producer_id, u.reason) for u in schedule.unscheduled_requests] == [(1, 2, "no_common_slot")]
    assert schedule.uncovered_participant_ids == (1, 2)


def test_mutual_request_preferred_when_capacity_is_short() -> None:
    # One table, one slot: a one-way priority 2 against a mutual pair of priorities 2 and 1.
    problem = SchedulingProblem(
        slots=1,
        tables=1,
        participants=(buyer(1), buyer(2), producer(11), producer(12)),
        requests=(MeetingRequest(1, 11, 2), MeetingRequest(2, 12, 2), MeetingRequest(12, 2, 1)),
    )
    schedule = optimise_schedule(problem, **FAST)
    assert [(m.buyer_id, m.producer_id) for m in schedule.meetings] == [(2, 12)]
    assert schedule.meetings[0].value == pair_value(2, 1) > pair_value(2, None)
    assert [(u.buyer_id, u.producer_id, u.reason) for u in schedule.unscheduled_requests] == [(1, 11, "not_selected")]


def test_optimiser_covers_everyone_where_first_fit_does_not() -> None:
    # One slot, two tables. First fit takes the priority-3 pair B1-P11 first; then B1 is busy
    # and P11 too, so B2 and P12 get nothing. B1-P12 + B2-P11 meets everybody.
    problem = SchedulingProblem(
        slots=1,
        tables=2,
        participants=(buyer(1), buyer(2), producer(11), producer(12)),
        requests=(MeetingRequest(1, 11, 3), MeetingRequest(1, 12, 2), MeetingRequest(2, 11, 1)),
    )
    baseline = first_fit_schedule(problem)
    assert baseline.uncovered_participant_ids == (2, 12)
    schedule = optimise_schedule(problem, **FAST)
    assert schedule.uncovered_count == 0
    assert {(m.buyer_id, m.producer_id) for m in schedule.meetings} == {(1, 12), (2, 11)}
    assert schedule.status == "OPTIMAL"


def test_interpreter_cap_is_respected() -> None:
    buyers = [buyer(i, languages={"zh"}) for i in (1, 2, 3)]
    producers = [producer(i, languages={"lo"}) for i in (11, 12, 13)]
    requests = tuple(MeetingRequest(b.id, p.id, 2) for b in buyers for p in producers)
    problem = SchedulingProblem(
        slots=2, tables=3, participants=(*buyers, *producers), requests=requests, interpreters_per_slot=1
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    assert Counter(m.slot for m in schedule.meetings) == {0: 1, 1: 1}
    assert all(m.needs_interpreter for m in schedule.meetings)

    no_interpreters = optimise_schedule(
        SchedulingProblem(2, 3, (*buyers, *producers), requests, interpreters_per_slot=0), **FAST
    )
    assert no_interpreters.meetings == ()
    assert {u.reason for u in no_interpreters.unscheduled_requests} == {"no_interpreter"}


def test_shared_language_needs_no_interpreter() -> None:
    problem = SchedulingProblem(
        slots=1,
        tables=2,
        participants=(buyer(1, languages={"th", "en"}), producer(2, languages={"EN"})),
        requests=(MeetingRequest(1, 2, 1),),
        interpreters_per_slot=0,
    )
    schedule = optimise_schedule(problem, **FAST)
    assert len(schedule.meetings) == 1 and not schedule.meetings[0].needs_interpreter


def test_previous_meetings_are_kept_when_still_feasible() -> None:
    participants = (buyer(1), buyer(2), producer(11), producer(12))
    previous = (PreviousMeeting(1, 11, 2, 3), PreviousMeeting(2, 12, 0, 2))
    problem = SchedulingProblem(
        slots=3,
        tables=3,
        participants=participants,
        # a new request since the announcement: it must fit around the kept meetings
        requests=(MeetingRequest(1, 11, 1), MeetingRequest(12, 2, 2), MeetingRequest(1, 12, 3)),
        previous_meetings=previous,
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    placed = {(m.buyer_id, m.producer_id): (m.slot, m.table) for m in schedule.meetings}
    assert placed[1, 11] == (2, 3) and placed[2, 12] == (0, 2)
    assert (1, 12) in placed
    assert schedule.moved == () and schedule.dropped == ()
    assert schedule.kept_count == 2
    assert schedule.status == "OPTIMAL"


def test_previous_meeting_moved_when_participant_became_unavailable() -> None:
    problem = SchedulingProblem(
        slots=3,
        tables=2,
        participants=(buyer(1, {1}), producer(11), buyer(2), producer(12)),
        requests=(MeetingRequest(1, 11, 2), MeetingRequest(2, 12, 2)),
        previous_meetings=(PreviousMeeting(1, 11, 1, 1), PreviousMeeting(2, 12, 1, 2)),
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    assert [mv.previous for mv in schedule.moved] == [PreviousMeeting(1, 11, 1, 1)]
    assert schedule.moved[0].slot != 1
    assert schedule.dropped == ()
    assert {(m.buyer_id, m.slot, m.table) for m in schedule.meetings if m.buyer_id == 2} == {(2, 1, 2)}


def test_keeping_never_costs_a_meeting_and_withdrawn_ones_are_dropped() -> None:
    # Producer 12 can only meet in slot 0, where buyer 1's announced meeting sits: that
    # meeting has to move so that 1-12 happens. The withdrawn 2-11 meeting is dropped.
    problem = SchedulingProblem(
        slots=2,
        tables=1,
        participants=(buyer(1), buyer(2), producer(11), producer(12, {1})),
        requests=(MeetingRequest(1, 11, 3), MeetingRequest(1, 12, 1)),
        previous_meetings=(PreviousMeeting(1, 11, 0, 1), PreviousMeeting(2, 11, 1, 1)),
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    assert {(m.buyer_id, m.producer_id, m.slot) for m in schedule.meetings} == {(1, 12, 0), (1, 11, 1)}
    assert [(mv.previous.producer_id, mv.slot, mv.table) for mv in schedule.moved] == [(11, 1, 1)]
    assert schedule.dropped == (PreviousMeeting(2, 11, 1, 1),)


def test_empty_problem() -> None:
    for problem in (
        SchedulingProblem(slots=8, tables=5, participants=(buyer(1), producer(2)), requests=()),
        SchedulingProblem(slots=0, tables=0, participants=(), requests=()),
    ):
        schedule = optimise_schedule(problem, **FAST)
        assert schedule.meetings == () and schedule.unscheduled_requests == ()
        assert schedule.objective == 0 and schedule.bound == 0 and schedule.gap == 0
        assert schedule.status == "OPTIMAL" and schedule.uncovered_count == 0
        assert first_fit_schedule(problem).meetings == ()


def test_same_side_and_unknown_requests_are_ignored() -> None:
    problem = SchedulingProblem(
        slots=2,
        tables=2,
        participants=(buyer(1), buyer(2), producer(11), producer(12)),
        requests=(
            MeetingRequest(1, 2, 3),  # buyer-buyer
            MeetingRequest(11, 12, 3),  # producer-producer
            MeetingRequest(1, 99, 3),  # unknown
            MeetingRequest(1, 1, 3),  # self
            MeetingRequest(1, 11, 1),
        ),
    )
    for schedule in (optimise_schedule(problem, **FAST), first_fit_schedule(problem)):
        check_hard_rules(problem, schedule)
        assert [(m.buyer_id, m.producer_id) for m in schedule.meetings] == [(1, 11)]
        assert [i.reason for i in schedule.ignored_requests] == [
            "same_side",
            "same_side",
            "unknown_participant",
            "self",
        ]
        assert schedule.uncovered_count == 0  # 2 and 12 only appear in ignored requests


def test_proposed_pairs_fill_free_capacity() -> None:
    problem = SchedulingProblem(
        slots=1,
        tables=2,
        participants=(buyer(1), buyer(2), producer(11), producer(12)),
        requests=(MeetingRequest(1, 11, 1),),
        # 1-11 (10 points) + 2-12 (3) beats the two proposals 1-12 + 2-11 (4 + 4)
        proposed=(ProposedPair(1, 12, 4), ProposedPair(2, 12, 3), ProposedPair(2, 11, 4)),
    )
    schedule = optimise_schedule(problem, **FAST)
    check_hard_rules(problem, schedule)
    assert {(m.buyer_id, m.producer_id, m.proposed) for m in schedule.meetings} == {(1, 11, False), (2, 12, True)}


def test_duplicate_requests_keep_the_highest_priority() -> None:
    problem = SchedulingProblem(
        slots=1,
        tables=1,
        participants=(buyer(1), producer(11)),
        requests=(MeetingRequest(1, 11, 1), MeetingRequest(1, 11, 3), MeetingRequest(11, 1, 2)),
    )
    schedule = optimise_schedule(problem, **FAST)
    assert schedule.meetings[0].value == pair_value(3, 2) == 3 * 10 + 2 * 10 + DEFAULT_WEIGHTS.mutual_bonus


def test_invalid_input_is_rejected() -> None:
    with pytest.raises(ValueError):
        MeetingRequest(1, 2, 4)
    with pytest.raises(ValueError):
        SchedulingProblem(slots=1, tables=1, participants=(buyer(1), producer(1)), requests=())
    with pytest.raises(ValueError):
        SchedulingProblem(slots=1, tables=1, participants=(), requests=(), interpreters_per_slot=-1)
    with pytest.raises(ValueError):
        Participant(1, "seller")  # type: ignore[arg-type]
