"""Whether to give the best FAQ entry as an answer: a small model learned across FAQ bases.

The ranking says which entry is closest; this decides whether it answers the question at all, or
whether the bot should say it does not know. A fixed rule on the combined score (≥ 0.20, and more
than half of the question's topical words known to the base) had to reject many right answers to
keep look-alikes out ("l'examen du permis c'est quand ?"). Here a logistic model reads twelve
signals of the ranking: the best score and its lead, the coverage, the best entry's word, answer
and embedding scores, how far that entry stands out from the other entries (z-scores among the 32
best, the gap between the two best cosines) and how much of a softmax over the entries, with the adapter's
"none of them" class, goes to "none"; and how many of the learner questions it most resembles, in
other courses' question sets, were out of scope (faq_memory). Products of pairs of signals are inputs
too (91 weights).

It is trained (`python -m benchmarks.train_faq_adapter`) on bases scored by adapters that had never
seen them (leave one base out), so it learns how an unseen base looks, not the training bases'
inflated cosines; positives are questions whose best entry is right, negatives out-of-scope ones.
Its threshold is set so that, across those bases, 85 % of out-of-scope questions get no answer.
It also says when an answer is given as *sure* rather than "not sure": its probability of at least
`confident_probability` and a lead of `confident_lead` over the next entry, the pair that gives the
most sure answers on those bases without more wrong answers given as sure than the fixed rule gave.
It applies only to the adapter it was trained with (`adapter` = the adapter's digest), to a matcher
mixing its channels with the weights it was trained with (`weights`), to bases of any size (it learned
from bases of 30 entries, yet on subsets of 1 to 15 entries of the held-out bases it answers twice as
many questions right as the fixed rule, and rejects more out-of-scope ones: docs/faq-matching.md,
seventeenth round); otherwise the fixed rule decides (`Thresholds.tentative`).

NumPy only, ~20 µs a question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ACCEPTOR_FILE = Path(__file__).with_name("faq_accept.json")

FEATURES = (
    "score",  # combined score of the best entry
    "lead",  # over the second entry
    "coverage",  # share of the question's topical words the base knows
    "word",  # the best entry's word channel
    "answer",  # its answer-words channel
    "emb",  # its best phrasing's cosine (adapted USE)
    "emb_qa",  # its question + answer cosine
    "emb_gap",  # best cosine minus second-best cosine, over all entries
    "emb_z",  # the best entry's cosine against all entries' (z-score)
    "score_z",  # its combined score against all entries' (z-score)
    "none",  # P("none of them") in a softmax over the closest entries and the "none" class
    "memory_none",  # share of the closest remembered learner questions that were out of scope (faq_memory)
)
LEAD = FEATURES.index("lead")
NONE_LOGIT = 0.38  # the "none" class's threshold the adapter learned (training prints it)
TEMPERATURE = 0.1  # the adapter's softmax temperature
SOFTMAX_ENTRIES = 10  # only the closest entries, so the share of "none" does not shrink with base size
# z-scores are taken over the best-scored entries only, as many as the largest training base had:
# a 500-entry base then looks, around the question, like the 30-entry bases the model learned from.
NEIGHBOURHOOD = 32


def signals(scores: Any, channels: dict[str, Any], coverage: float) -> Any:
    """The twelve signals (FEATURES) for a question, from its scores over every entry of the base:
    `scores` the combined scores, `channels` the channel arrays (word, answer, emb, emb_qa, memory_none)."""
    scores = np.asarray(scores, dtype=np.float64)
    emb = np.asarray(channels["emb"], dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    top = order[0]
    near = order[:NEIGHBOURHOOD]
    lead = scores[top] - (scores[order[1]] if len(order) > 1 else 0.0)
    best_emb = np.sort(emb)[::-1]
    gap = best_emb[0] - best_emb[1] if len(emb) > 1 else best_emb[0]
    closest = best_emb[:SOFTMAX_ENTRIES] / TEMPERATURE
    logits = np.append(closest, NONE_LOGIT / TEMPERATURE)
    logits -= logits.max()
    odds = np.exp(logits)
    return np.array(
        [
            scores[top],
            lead,
            coverage,
            channels["word"][top],
            channels["answer"][top],
            emb[top],
            channels["emb_qa"][top],
            gap,
            (emb[top] - emb[near].mean()) / (emb[near].std() + 1e-6),
            (scores[top] - scores[near].mean()) / (scores[near].std() + 1e-6),
            odds[-1] / odds.sum(),
            channels["memory_none"][top] if "memory_none" in channels else 0.0,
        ]
    )


def expand(x: Any) -> Any:
    """Signals and the products of every pair of them (squares included): rows in, rows out."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    i, j = np.triu_indices(x.shape[1])
    return np.hstack([x, x[:, i] * x[:, j]])


@dataclass(frozen=True)
class Acceptor:
    mean: Any  # of the expanded signals, on the training data
    scale: Any
    coef: Any
    bias: float
    threshold: float  # answer when the probability reaches it
    adapter: str  # digest of the adapter the signals were computed with
    # the matcher's channel weights when the signals were computed (a matcher mixing its channels
    # otherwise does not use this model)
    weights: dict[str, float] = field(default_factory=dict)
    # an answer is given as sure from this probability and this lead over the next entry (None: the
    # fixed rule's score, margin and coverage decide)
    confident_probability: float | None = None
    confident_lead: float | None = None

    def probability(self, x: Any) -> Any:
        """P(the best entry answers the question), one per row of signals."""
        z = (expand(x) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.bias)))

    def accepts(self, x: Any) -> bool:
        return bool(self.probability(x)[0] >= self.threshold)

    def sure(self, probability: float, lead: float) -> bool | None:
        """Whether an accepted answer is given as sure (None: this model does not say)."""
        if self.confident_probability is None or self.confident_lead is None:
            return None
        return probability >= self.confident_probability and lead >= self.confident_lead

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "expansion": "signals, then products of every pair (numpy.triu_indices order)",
            "adapter": self.adapter,
            "weights": self.weights,
            "threshold": round(float(self.threshold), 4),
            "confident_probability": self.confident_probability,
            "confident_lead": self.confident_lead,
            "bias": float(self.bias),
            "mean": [float(v) for v in self.mean],
            "scale": [float(v) for v in self.scale],
            "coef": [float(v) for v in self.coef],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Acceptor:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("acceptor trained on other signals")
        return cls(
            mean=np.array(data["mean"]),
            scale=np.array(data["scale"]),
            coef=np.array(data["coef"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            adapter=str(data["adapter"]),
            weights={str(k): float(v) for k, v in data.get("weights", {}).items()},
            confident_probability=data.get("confident_probability"),
            confident_lead=data.get("confident_lead"),
        )


def fit(x: Any, y: Any, weight: Any, penalty: float = 0.01, steps: int = 100) -> Acceptor:
    """Weighted logistic regression on expanded signals (Newton's method, L2 `penalty` on the
    standardised weights). The threshold is left at 0.5, the adapter and the channel weights blank:
    the trainer sets them (`dataclasses.replace`)."""
    z = expand(x)
    mean, scale = z.mean(axis=0), z.std(axis=0) + 1e-9
    z = np.hstack([(z - mean) / scale, np.ones((len(z), 1))])
    weight = np.asarray(weight, dtype=np.float64) / np.sum(weight)
    ridge = penalty * np.eye(z.shape[1])
    ridge[-1, -1] = 0.0  # the bias is not penalised
    b = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ b)))
        grad = z.T @ (weight * (p - y)) + ridge @ b
        hess = (z * (weight * p * (1.0 - p))[:, None]).T @ z + ridge
        step = np.linalg.solve(hess, grad)
        b -= step
        if np.abs(step).max() < 1e-9:
            break
    return Acceptor(mean=mean, scale=scale, coef=b[:-1], bias=float(b[-1]), threshold=0.5, adapter="")


def load_acceptor(adapter: str, path: Path = ACCEPTOR_FILE) -> Acceptor | None:
    """The shipped acceptor if it was trained for the adapter with digest `adapter` and on the
    signals this code computes, else None (the fixed rule decides)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != FEATURES or data.get("adapter") != adapter:
        return None
    return Acceptor.from_json(data)


def save_acceptor(acceptor: Acceptor, path: Path = ACCEPTOR_FILE) -> None:
    path.write_text(json.dumps(acceptor.to_json(), indent=1) + "\n", encoding="utf-8")
