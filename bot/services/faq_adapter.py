"""A linear adapter on the Universal Sentence Encoder's vectors, learned for FAQ matching.

USE places "jai pas capté le truc de mardi, yaura une vidéo ?" far from "Are virtual classes
recorded?": it was trained on general question/answer and translation pairs, not on how learners
write to a course's FAQ. The adapter is one matrix `M = I + A` (512 × 512) applied to every vector,
the entries' phrasings and the learners' questions alike, followed by L2 normalisation; so a cosine
after the adapter still compares two texts, and the entries' cached vectors stay valid as long as
the adapter does not change (its digest is part of the embedder's name).

It is learned from the FAQ bases in data/faq and their question sets (`python -m
benchmarks.train_faq_adapter`, docs/faq-matching.md): for each learner question, a softmax over the base's
entries (an entry's score is its best phrasing) plus a "none of them" class whose logit is a learned
threshold `b`; out-of-scope questions target that class. So the adapter learns both to bring a
paraphrase closer to its entry and to keep look-alikes below the threshold. An L2 penalty on `A`
keeps the adapter near the identity (USE's own geometry) where the data says nothing.

NumPy only: training on 28 bases (about 5 000 questions) takes ~45 s on 2 cores; applying it is
one 512 × 512 product per text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ADAPTER_FILE = Path(__file__).with_name("use_adapter.npz")


@dataclass(frozen=True)
class TrainingBase:
    """One base's training data, all vectors raw USE (L2-normalised rows).

    `phrasings`: the entries' phrasings (question and variants), one row each; `owner[r]`: index of
    the entry phrasing r belongs to; `questions`: learners' questions; `expected[i]`: index of the
    entry answering question i, or -1 when none does (out of scope); `size`: number of entries.
    """

    phrasings: Any
    owner: Any
    questions: Any
    expected: Any
    size: int


@dataclass(frozen=True)
class Adapter:
    matrix: Any  # I + A, float32, applied as X @ matrix
    digest: str  # identifies the adapter in cached vectors' keys

    @classmethod
    def from_delta(cls, delta: Any) -> Adapter:
        """The adapter for `A` as stored: float16 (half the size; cosines move by < 1e-3)."""
        half = np.asarray(delta, dtype=np.float16)
        matrix = np.eye(half.shape[0], dtype=np.float32) + half.astype(np.float32)
        return cls(matrix=matrix, digest=hashlib.sha256(half.tobytes()).hexdigest()[:12])

    def apply(self, vectors: Any) -> Any:
        z = np.asarray(vectors, dtype=np.float32) @ self.matrix
        return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)


def load_adapter(path: Path = ADAPTER_FILE) -> Adapter | None:
    """The shipped adapter, or None when the file is absent (USE is then used as it is)."""
    if not path.exists():
        return None
    with np.load(path) as data:
        return Adapter.from_delta(data["delta"])


def save_adapter(delta: Any, path: Path = ADAPTER_FILE) -> None:
    """Write `A` (the matcher needs nothing else: the learned threshold only serves training)."""
    with path.open("wb") as out:
        np.savez_compressed(out, delta=np.asarray(delta, dtype=np.float16))


def _unit(z: Any) -> tuple[Any, Any]:
    norm = np.linalg.norm(z, axis=1, keepdims=True)
    return z / norm, norm


def _unit_grad(grad: Any, unit: Any, norm: Any) -> Any:
    """Gradient through x -> x / |x|, given the output `unit` and the input's `norm`."""
    return (grad - unit * np.sum(unit * grad, axis=1, keepdims=True)) / norm


def loss_and_grad(
    delta: Any, threshold: float, bases: list[TrainingBase], temp: float
) -> tuple[float, Any, float]:
    """Mean cross-entropy over every question of every base (entries + "none" class), and its
    gradients with respect to `delta` and `threshold` (without the L2 penalty)."""
    d = delta.shape[0]
    m = np.eye(d) + delta
    count = sum(len(b.questions) for b in bases)
    g_delta = np.zeros_like(delta)
    g_threshold = 0.0
    loss = 0.0
    for base in bases:
        p_unit, p_norm = _unit(base.phrasings @ m)
        q_unit, q_norm = _unit(base.questions @ m)
        sims = q_unit @ p_unit.T
        n, k = len(base.questions), base.size
        scores = np.full((n, k + 1), threshold)
        best_row = np.zeros((n, k), dtype=int)
        for j in range(k):
            rows = np.flatnonzero(base.owner == j)
            pick = sims[:, rows].argmax(axis=1)
            best_row[:, j] = rows[pick]
            scores[:, j] = sims[np.arange(n), best_row[:, j]]
        logits = scores / temp
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        target = np.where(base.expected < 0, k, base.expected)
        loss -= float(np.log(prob[np.arange(n), target] + 1e-12).sum()) / count
        g_scores = prob
        g_scores[np.arange(n), target] -= 1.0
        g_scores /= temp * count
        g_threshold += float(g_scores[:, k].sum())
        g_sims = np.zeros_like(sims)
        np.add.at(g_sims, (np.repeat(np.arange(n), k), best_row.ravel()), g_scores[:, :k].ravel())
        g_q = _unit_grad(g_sims @ p_unit, q_unit, q_norm)
        g_p = _unit_grad(g_sims.T @ q_unit, p_unit, p_norm)
        g_delta += base.questions.T @ g_q + base.phrasings.T @ g_p
    return loss, g_delta, g_threshold


def train(
    bases: list[TrainingBase],
    *,
    penalty: float = 0.01,
    temp: float = 0.1,
    epochs: int = 300,
    rate: float = 1e-3,
    threshold: float = 0.3,
) -> tuple[Any, float]:
    """Learn (A, b) by full-batch Adam; deterministic (starts from A = 0)."""
    d = bases[0].phrasings.shape[1]
    delta = np.zeros((d, d))
    moments = [np.zeros_like(delta), np.zeros_like(delta), 0.0, 0.0]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        _, g_delta, g_threshold = loss_and_grad(delta, threshold, bases, temp)
        g_delta += 2 * penalty * delta
        moments[0] = beta1 * moments[0] + (1 - beta1) * g_delta
        moments[1] = beta2 * moments[1] + (1 - beta2) * g_delta * g_delta
        moments[2] = beta1 * moments[2] + (1 - beta1) * g_threshold
        moments[3] = beta2 * moments[3] + (1 - beta2) * g_threshold * g_threshold
        fix1, fix2 = 1 - beta1**step, 1 - beta2**step
        delta -= rate * (moments[0] / fix1) / (np.sqrt(moments[1] / fix2) + eps)
        threshold -= 10 * rate * (moments[2] / fix1) / (np.sqrt(moments[3] / fix2) + eps)
    return delta, float(threshold)
