"""Train the FAQ adapter on USE (bot/services/faq_adapter.py) and the answer/no-answer model
on top of it (bot/services/faq_accept.py), and print how both do on bases they never saw.

Run from the repository root (~40 min on 2 cores; ~8 min with --cache and an earlier run's folds):

    python -m benchmarks.train_faq_adapter [--cache DIR]

1. The adapter, on every base but the held-out ones -> bot/services/use_adapter.npz (~35 s); the
   memory of those bases' learner questions, through it -> bot/services/faq_memory.npz.
2. Each training base scored by an adapter and a memory built from the others (leave one base
   out), so its signals look like those of a base the shipped adapter never saw.
3. The acceptor, fitted on those signals (positives: questions whose best entry is right;
   negatives: out-of-scope ones, weighted 3); its threshold rejects 85 % of the out-of-scope
   questions across those bases. Then when it gives an answer as sure: the probability and lead
   that give the most sure answers to the training bases, each judged by an acceptor fitted
   without it, with no more wrong answers given as sure than the fixed rule -> faq_accept.json.
4. Figures: each training base with the adapter and the acceptor that never saw it, against USE
   without adapter under the fixed rule; then ADAPTER_HELD_OUT, which nothing here ever trains
   on, with what ships.

Training data: data/faq (our base with all its question sets) and the other bases in
benchmarks.bench_faq.OTHER_BASES, except ADAPTER_HELD_OUT.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.bench_faq import (
    ADAPTER_HELD_OUT,
    OTHER_BASES,
    Question,
    load_base,
    load_questions,
)
from bot.services.faq_accept import ACCEPTOR_FILE, LEAD, Acceptor, fit, save_acceptor, signals
from bot.services.faq_adapter import ADAPTER_FILE, Adapter, TrainingBase, save_adapter, train
from bot.services.faq_base import FaqEntry
from bot.services.faq_engine import HYBRID_THRESHOLDS, HYBRID_WEIGHTS, FaqMatcher, Ranking, UseEmbedder
from bot.services.faq_memory import MEMORY_FILE, save_memory
from bot.services.faq_memory import build as build_memory


def all_bases() -> list[tuple[str, list[FaqEntry], list[Question]]]:
    """(name, entries, questions) of every base: ours ("base", all its splits), then the others."""
    bases = [("base", load_base(), load_questions())]
    bases += [(other.folder.name, other.entries(), other.questions()) for other in OTHER_BASES]
    return bases


def training_base(entries: list[FaqEntry], questions: list[Question], use: UseEmbedder) -> TrainingBase:
    """Raw USE vectors of a base's phrasings and of its questions (respelled as the matcher does)."""
    matcher = FaqMatcher.from_entries(entries, embedder=use)
    ids = [e.id for e in entries]
    blocks = [matcher._vectors[entry_id][:-1] for entry_id in ids]  # the last row is question + answer
    position = {entry_id: i for i, entry_id in enumerate(ids)}
    return TrainingBase(
        phrasings=np.vstack(blocks).astype(np.float64),
        owner=np.repeat(np.arange(len(ids)), [len(b) for b in blocks]),
        questions=np.vstack([matcher.embed_question(text) for _, _, text in questions]).astype(np.float64),
        expected=np.array([position.get(expected, -1) for _, expected, _ in questions]),
        size=len(ids),
    )


REJECT_TARGET = 0.85  # share of out-of-scope questions the acceptor leaves unanswered
OUT_OF_SCOPE_WEIGHT = 3.0


@dataclass
class Scored:
    """A base's questions as a matcher scored them: signals, best entry, expected entry (-1 = out of
    scope), and the fixed rule's ranking (for its figures)."""

    signals: Any
    best: Any
    expected: Any
    rankings: list[Ranking]


def score_base(entries: list[FaqEntry], questions: list[Question], embedder: UseEmbedder) -> Scored:
    matcher = FaqMatcher.from_entries(entries, embedder=embedder)
    index = matcher._dense()
    position = {entry_id: i for i, entry_id in enumerate(index.ids)}
    rows, best, rankings = [], [], []
    for _, _, text in questions:
        _, channels, coverage = matcher.channels(text)
        scores = matcher._combined(channels)
        rows.append(signals(scores, channels, coverage))
        rankings.append(matcher.scored(text, limit=3))
        best.append(position[rankings[-1].hits[0].id])
    expected = np.array([position.get(e, -1) for _, e, _ in questions])
    return Scored(np.array(rows), np.array(best), expected, rankings)


def fit_acceptor(bases: list[Scored], adapter: str) -> Acceptor:
    x, y, w = [], [], []
    for b in bases:
        in_scope = b.expected >= 0
        right = in_scope & (b.best == b.expected)
        keep = right | ~in_scope  # a wrong best entry teaches nothing about answering
        x.append(b.signals[keep])
        y.append(right[keep].astype(float))
        w.append(np.where(in_scope, 1.0, OUT_OF_SCOPE_WEIGHT)[keep])
    model = fit(np.vstack(x), np.concatenate(y), np.concatenate(w))
    grid = np.linspace(0.0, 1.0, 1001)
    rejected = np.mean(
        [(model.probability(b.signals[b.expected < 0])[:, None] < grid).mean(axis=0) for b in bases], axis=0
    )
    threshold = float(grid[np.argmax(rejected >= REJECT_TARGET)])
    return replace(model, threshold=threshold, adapter=adapter, weights=asdict(HYBRID_WEIGHTS))


def figures(b: Scored, answered: Any, confident: Any) -> tuple[float, ...]:
    """top-1 / answered-correct / OOS rejected / wrong answers (in scope) / wrong-as-sure (all)."""
    in_scope = b.expected >= 0
    right = b.best == b.expected
    return (
        right[in_scope].mean(),
        (right & answered)[in_scope].mean(),
        (~answered[~in_scope]).mean(),
        (answered & ~right)[in_scope].mean(),
        (confident & (~right | ~in_scope)).mean(),
    )


def decided(matcher: FaqMatcher, b: Scored, acceptor: Acceptor | None) -> tuple[Any, Any]:
    """(answered, given as sure) for each question of base `b` when `acceptor` (None: the fixed
    rule) decides."""
    if acceptor is None:  # the matcher that scored `b` may have had its own acceptor: not here
        rankings = [r._replace(accepted=None, sure=None) for r in b.rankings]
    else:
        probability = acceptor.probability(b.signals)
        rankings = [
            r._replace(accepted=bool(p >= acceptor.threshold), sure=acceptor.sure(float(p), float(lead)))
            for r, p, lead in zip(b.rankings, probability, b.signals[:, LEAD], strict=True)
        ]
    results = [matcher.decide(r) for r in rankings]
    return np.array([r.match is not None for r in results]), np.array([r.confident for r in results])


def with_rule_of(matcher: FaqMatcher, b: Scored, acceptor: Acceptor | None) -> tuple[float, ...]:
    """Figures of base `b` when `acceptor` (None: the fixed rule) decides whether to answer."""
    return figures(b, *decided(matcher, b, acceptor))


SURE_PROBABILITIES = np.round(np.arange(0.50, 1.0, 0.01), 2)
SURE_LEADS = np.round(np.arange(0.0, 0.31, 0.01), 2)


def choose_sure(matcher: FaqMatcher, bases: list[Scored], acceptors: list[Acceptor]) -> tuple[float, float]:
    """The (probability, lead) from which an accepted answer is given as sure: the most in-scope
    questions answered as sure (mean over the bases) among the pairs that give no more wrong
    answers as sure (in scope with a wrong entry, or out of scope; mean over the bases) than the
    fixed rule's score, margin and coverage. Each base is judged by an acceptor fitted without it."""
    fixed_wrong, per_base = [], []
    for b, acceptor in zip(bases, acceptors, strict=True):
        answered, sure = decided(matcher, b, replace(acceptor, confident_probability=None))
        right, in_scope = b.best == b.expected, b.expected >= 0
        fixed_wrong.append((sure & (~right | ~in_scope)).mean())
        probability = acceptor.probability(b.signals)
        per_base.append((answered, probability, b.signals[:, LEAD], right, in_scope))
    bar = float(np.mean(fixed_wrong)) + 1e-12
    best = (-1.0, 1.0, 1.0)
    for p in SURE_PROBABILITIES:
        for lead in SURE_LEADS:
            share, wrong = [], []
            for answered, probability, leads, right, in_scope in per_base:
                sure = answered & (probability >= p) & (leads >= lead)
                share.append(sure[in_scope].mean())
                wrong.append((sure & (~right | ~in_scope)).mean())
            if np.mean(wrong) <= bar and np.mean(share) > best[0]:
                best = (float(np.mean(share)), float(p), float(lead))
    return best[1], best[2]


def trained(bases: list[TrainingBase], cache: Path | None) -> Any:
    """`train(bases)[0]`, or the same from `cache` (a folder) when an earlier run trained on exactly
    these data (training is deterministic: the key is a digest of the bases' arrays)."""
    if cache is None:
        return train(bases)[0]
    key = hashlib.sha256()
    for b in bases:
        for array in (b.phrasings, b.owner, b.questions, b.expected):
            key.update(np.ascontiguousarray(array).tobytes())
    path = cache / f"{key.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    delta = train(bases)[0]
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, delta)
    return delta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder keeping trained adapters for the next run")
    args = parser.parse_args(argv)

    raw = UseEmbedder(adapter=None)
    bases = all_bases()
    data = {name: training_base(entries, questions, raw) for name, entries, questions in bases}
    names = [name for name, _, _ in bases if name not in ADAPTER_HELD_OUT]
    print(f"training bases ({len(names)}): {', '.join(names)}; held out: {', '.join(ADAPTER_HELD_OUT)}")
    print(f"questions: {sum(len(data[n].questions) for n in names)}")

    start = time.perf_counter()
    delta = trained([data[n] for n in names], args.cache)
    save_adapter(delta)
    adapter = Adapter.from_delta(delta)
    print(
        f"adapter trained in {time.perf_counter() - start:.0f} s: |A| = {np.linalg.norm(delta):.2f}, "
        f"digest {adapter.digest} -> {ADAPTER_FILE}",
        flush=True,
    )
    memory = build_memory([data[n] for n in names], adapter)
    save_memory(memory)
    print(f"memory: {len(memory.questions)} questions, {len(memory.targets)} entries -> {MEMORY_FILE}")

    plain, unseen = {}, {}
    for name, entries, questions in bases:
        if name in ADAPTER_HELD_OUT:
            continue
        others = [data[n] for n in names if n != name]
        fold = Adapter.from_delta(trained(others, args.cache))
        unseen[name] = score_base(entries, questions, raw.with_adapter(fold, build_memory(others, fold)))
        plain[name] = score_base(entries, questions, raw)
        print(f"  {name}: scored by an adapter that never saw it", flush=True)
    judge = FaqMatcher(embedder=None, thresholds=HYBRID_THRESHOLDS)
    acceptor = fit_acceptor([unseen[n] for n in names], adapter.digest)
    lobo = {name: fit_acceptor([unseen[n] for n in names if n != name], "") for name in names}
    sure_p, sure_lead = choose_sure(judge, [unseen[n] for n in names], [lobo[n] for n in names])
    acceptor = replace(acceptor, confident_probability=sure_p, confident_lead=sure_lead)
    lobo = {n: replace(a, confident_probability=sure_p, confident_lead=sure_lead) for n, a in lobo.items()}
    save_acceptor(acceptor)
    print(
        f"acceptor: threshold {acceptor.threshold:.3f}, sure from probability {sure_p:.2f} "
        f"and lead {sure_lead:.2f} -> {ACCEPTOR_FILE}"
    )

    header = "top-1 / answered-correct / OOS rejected / answered wrong / wrong-as-sure"
    print(f"\nleave one base out ({header}):")
    print(
        f"{'base':8s} {'USE, fixed rule':>38s}    {'adapter, fixed rule':>38s}    {'adapter + acceptor':>38s}"
    )
    rows = []
    for name in names:
        row = [
            with_rule_of(judge, plain[name], None),
            with_rule_of(judge, unseen[name], None),
            with_rule_of(judge, unseen[name], lobo[name]),
        ]
        rows.append(row)
        print(f"{name:8s} " + "    ".join(_cells(r) for r in row), flush=True)
    print(f"{'mean':8s} " + "    ".join(_cells(r) for r in np.mean(np.array(rows), axis=0)))

    shipped = raw.with_adapter(adapter, memory)
    print(f"\nnever trained on, what ships ({header}):")
    print(f"{'base':8s} {'adapter, fixed rule':>38s}    {'adapter + acceptor':>38s}")
    held = []
    for name, entries, questions in bases:
        if name not in ADAPTER_HELD_OUT:
            continue
        b = score_base(entries, questions, shipped)
        row = [with_rule_of(judge, b, None), with_rule_of(judge, b, acceptor)]
        held.append(row)
        print(f"{name:8s} " + "    ".join(_cells(r) for r in row), flush=True)
    print(f"{'mean':8s} " + "    ".join(_cells(r) for r in np.mean(np.array(held), axis=0)))
    return 0


def _cells(values: Any) -> str:
    return " / ".join(f"{v:5.1%}" for v in values)


if __name__ == "__main__":
    raise SystemExit(main())
