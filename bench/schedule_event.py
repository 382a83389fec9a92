"""Benchmark of the business-matching scheduler (run by hand, not part of the test suite).

    .venv/bin/python bench/schedule_event.py [--time-limit 10] [--workers 2] [--no-scaling]

Generates a deterministic event (seeded RNG): 150 buyers, 250 producers, 16 slots, 40 tables,
3,000 requests with Zipf-like popularity (a few producers are wanted by many buyers), 0-3
unavailable slots per participant and mixed languages with an interpreter cap. Prints the
optimiser's and the first-fit baseline's figures; the optimiser without the coverage bonus
(the most total value any schedule can reach, to price fairness); a reschedule after changes;
then the optimiser at 2x and 4x the size (buyers, producers, requests, tables and interpreters
scaled; slots stay 16).

Goals at 1x: <= 10 s, objective >= 99 % of the proven bound, nobody who asked left without a
meeting.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.events.scheduler import (
    MeetingRequest,
    Participant,
    PreviousMeeting,
    Schedule,
    SchedulingProblem,
    Side,
    ValueWeights,
    first_fit_schedule,
    optimise_schedule,
)

SLOTS = 16

# (probability, languages spoken) by kind of buyer; producers speak Lao, some Thai or English.
BUYER_PROFILES = [
    (0.30, ("lo",)),
    (0.25, ("th", "lo")),
    (0.10, ("th",)),
    (0.15, ("zh",)),
    (0.08, ("zh", "en")),
    (0.07, ("vi", "en")),
    (0.05, ("en",)),
]


def generate_event(scale: int = 1, seed: int = 20240611) -> SchedulingProblem:
    """The benchmark event at ``scale`` times the base size; same seed, same event."""
    rng = random.Random(seed + scale)
    n_buyers, n_producers, n_requests = 150 * scale, 250 * scale, 3000 * scale
    tables, interpreters = 40 * scale, 8 * scale

    def unavailable() -> set[int]:
        return set(rng.sample(range(SLOTS), rng.randint(0, 3)))

    participants: list[Participant] = []
    buyers = list(range(1, n_buyers + 1))
    producers = list(range(n_buyers + 1, n_buyers + n_producers + 1))
    for b in buyers:
        roll, langs = rng.random(), BUYER_PROFILES[-1][1]
        for prob, profile in BUYER_PROFILES:
            if roll < prob:
                langs = profile
                break
            roll -= prob
        participants.append(Participant(b, Side.BUYER, unavailable(), set(langs)))
    for p in producers:
        langs = {"lo"}
        if rng.random() < 0.30:
            langs.add("th")
        if rng.random() < 0.15:
            langs.add("en")
        participants.append(Participant(p, Side.PRODUCER, unavailable(), langs))

    # Zipf-like popularity: weight 1/rank^a, on a shuffled ranking.
    producer_rank = producers[:]
    rng.shuffle(producer_rank)
    producer_w = [1 / (r + 1) ** 0.9 for r in range(n_producers)]
    buyer_rank = buyers[:]
    rng.shuffle(buyer_rank)
    buyer_w = [1 / (r + 1) ** 0.5 for r in range(n_buyers)]

    requested: set[tuple[int, int]] = set()
    requests: list[MeetingRequest] = []
    while len(requests) < n_requests:
        roll = rng.random()
        if roll < 0.6:  # buyer asks a producer
            a = rng.choice(buyers)
            b = rng.choices(producer_rank, producer_w)[0]
        elif roll < 0.85 or not requests:  # producer asks a buyer
            a = rng.choice(producers)
            b = rng.choices(buyer_rank, buyer_w)[0]
        else:  # reciprocation of an existing request: mutual interest
            prev = rng.choice(requests)
            a, b = prev.to_participant_id, prev.from_participant_id
        if (a, b) in requested:
            continue
        requested.add((a, b))
        requests.append(MeetingRequest(a, b, rng.choices((1, 2, 3), (0.4, 0.35, 0.25))[0]))
    return SchedulingProblem(
        slots=SLOTS,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
        interpreters_per_slot=interpreters,
    )


def requesting_participants(problem: SchedulingProblem) -> int:
    """How many participants asked for, or were asked for, a meeting."""
    return len({r.from_participant_id for r in problem.requests} | {r.to_participant_id for r in problem.requests})


def describe(name: str, schedule: Schedule, requesters: int) -> None:
    """Print one schedule's figures."""
    ratio = f"{100 * schedule.objective / schedule.bound:.2f} %" if schedule.bound else "-"
    bound = f"{schedule.bound:,.0f}" if schedule.bound is not None else "-"
    print(
        f"{name:<24} time {schedule.solve_seconds:6.2f} s  status {schedule.status:<8} "
        f"objective {schedule.objective:>9,.0f}  bound {bound:>9}  obj/bound {ratio:>8}  "
        f"meetings {len(schedule.meetings):>5}  total value {schedule.total_value:>7,}  "
        f"uncovered {schedule.uncovered_count}/{requesters}"
    )


def reschedule(problem: SchedulingProblem, announced: Schedule, args: argparse.Namespace) -> None:
    """After announcing ``announced``: 10 participants lose a slot, 50 requests arrive."""
    rng = random.Random(5)
    people = list(problem.participants)
    for k in rng.sample(range(len(people)), 10):
        people[k] = replace(people[k], unavailable_slots=people[k].unavailable_slots | {rng.randrange(SLOTS)})
    buyers = [p.id for p in people if p.side == Side.BUYER]
    producers = [p.id for p in people if p.side == Side.PRODUCER]
    extra = [MeetingRequest(rng.choice(buyers), rng.choice(producers), rng.randint(1, 3)) for _ in range(50)]
    changed = replace(
        problem,
        participants=tuple(people),
        requests=(*problem.requests, *extra),
        previous_meetings=tuple(
            PreviousMeeting(m.buyer_id, m.producer_id, m.slot, m.table) for m in announced.meetings
        ),
    )
    requesters = requesting_participants(changed)
    print("reschedule 1x after 10 participants lost a slot and 50 requests arrived:")
    for name, schedule in (
        ("  optimiser", optimise_schedule(changed, time_limit_seconds=args.time_limit, num_workers=args.workers)),
        ("  first-fit", first_fit_schedule(changed)),
    ):
        describe(name, schedule, requesters)
        print(
            f"{'':24} kept {schedule.kept_count} of {len(announced.meetings)}, moved {len(schedule.moved)}, "
            f"dropped {len(schedule.dropped)}"
        )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-scaling", action="store_true", help="skip the 2x and 4x runs")
    args = parser.parse_args()

    t0 = time.perf_counter()
    problem = generate_event(1)
    requesters = requesting_participants(problem)
    pairs = {tuple(sorted((r.from_participant_id, r.to_participant_id))) for r in problem.requests}
    print(
        f"event 1x: {sum(p.side == Side.BUYER for p in problem.participants)} buyers, "
        f"{sum(p.side == Side.PRODUCER for p in problem.participants)} producers, {problem.slots} slots, "
        f"{problem.tables} tables, {len(problem.requests)} requests ({len(pairs)} pairs), "
        f"{requesters} requesting participants, interpreters/slot {problem.interpreters_per_slot} "
        f"(generated in {time.perf_counter() - t0:.2f} s)"
    )
    optimised = optimise_schedule(problem, time_limit_seconds=args.time_limit, num_workers=args.workers)
    describe("optimiser", optimised, requesters)
    baseline = first_fit_schedule(problem)
    describe("first-fit", baseline, requesters)

    # What fairness costs: the same optimiser without the coverage bonus maximises value only.
    value_only = optimise_schedule(
        replace(problem, weights=ValueWeights(coverage_bonus=0)),
        time_limit_seconds=args.time_limit,
        num_workers=args.workers,
    )
    describe("optimiser, value only", value_only, requesters)
    if value_only.bound:  # with no coverage bonus the objective is the total value
        print(
            f"{'':24} fairness costs {100 * (1 - optimised.total_value / value_only.bound):.2f} % of the "
            f"proven maximum total value ({value_only.bound:,.0f}); first-fit reaches "
            f"{100 * baseline.total_value / value_only.bound:.2f} % of it"
        )

    reschedule(problem, optimised, args)

    if not args.no_scaling:
        for scale in (2, 4):
            big = generate_event(scale)
            requesters = requesting_participants(big)
            describe(
                f"optimiser {scale}x",
                optimise_schedule(big, time_limit_seconds=args.time_limit, num_workers=args.workers),
                requesters,
            )
            describe(f"first-fit {scale}x", first_fit_schedule(big), requesters)


if __name__ == "__main__":
    main()
