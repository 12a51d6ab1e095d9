"""Train the FAQ adapter on USE (bot/services/faq_adapter.py), or measure it base by base.

Run from the repository root:

    python -m benchmarks.train_faq_adapter        # train on every base but the held-out ones,
                                                  # write bot/services/use_adapter.npz (~1 min)
    python -m benchmarks.train_faq_adapter --cv   # leave one base out: each base measured with an
                                                  # adapter trained on the others (~15 min)

Training data: data/faq (our base with all its question sets) and the other bases in
benchmarks.bench_faq.OTHER_BASES, except ADAPTER_HELD_OUT, which no adapter ever sees: they
report how the shipped adapter does on a base and on wording it was not trained on. In `--cv`,
"without adapter" is USE as it is under the same decision rule.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.bench_faq import (
    ADAPTER_HELD_OUT,
    OTHER_BASES,
    SPLITS,
    Question,
    cached,
    evaluate,
    load_base,
    load_questions,
)
from bot.services.faq_adapter import ADAPTER_FILE, Adapter, TrainingBase, save_adapter, train
from bot.services.faq_base import FaqEntry
from bot.services.faq_engine import FaqMatcher, UseEmbedder


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-base-out figures instead of training")
    args = parser.parse_args(argv)

    raw = UseEmbedder(adapter=None)
    bases = all_bases()
    data = {name: training_base(entries, questions, raw) for name, entries, questions in bases}
    names = [name for name, _, _ in bases if name not in ADAPTER_HELD_OUT]
    print(f"training bases ({len(names)}): {', '.join(names)}; held out: {', '.join(ADAPTER_HELD_OUT)}")
    print(f"questions: {sum(len(data[n].questions) for n in names)}")
    if not args.cv:
        start = time.perf_counter()
        delta, threshold = train([data[n] for n in names])
        save_adapter(delta)
        adapter = Adapter.from_delta(delta)
        print(
            f"trained in {time.perf_counter() - start:.0f} s: |A| = {np.linalg.norm(delta):.2f}, "
            f"threshold {threshold:.3f}, digest {adapter.digest} -> {ADAPTER_FILE}"
        )
        return 0

    print("base     without adapter (top-1 / answered-correct / OOS rejected) -> adapter that never saw it")
    totals = []
    for name, entries, questions in bases:
        if name in ADAPTER_HELD_OUT:
            continue
        delta, _ = train([data[n] for n in names if n != name])
        row = []
        for embedder in (raw, raw.with_adapter(Adapter.from_delta(delta))):
            matcher = FaqMatcher.from_entries(entries, embedder=embedder)
            m = evaluate(*cached(matcher)[:2], questions)
            row.append((m["top1"], m["answered"], m["oos_rejected"]))
        totals.append(row)
        (a, b, c), (d, e, f) = row
        print(f"{name:8s} {a:6.1%} / {b:6.1%} / {c:6.1%}  ->  {d:6.1%} / {e:6.1%} / {f:6.1%}", flush=True)
    mean = np.mean(np.array(totals), axis=0)
    print(
        f"{'mean':8s} "
        + "  ->  ".join(" / ".join(f"{v:6.1%}" for v in side) for side in mean)
        + f"  (over {len(totals)} bases; ours counts once, splits {', '.join(SPLITS)} together)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
