"""A memory of how learners asked other bases' questions: the FAQ matcher's "memory" channel.

Most questions the matcher gets wrong lack a piece of knowledge the sentence model does not have:
"le parchemin … ma mère veut l'encadrer" is about the diploma, "la mutuelle me demande un papier"
about the enrolment certificate. Learners of other courses asked the same things, in the same
words, and our question sets (data/faq, 26 bases) say which entry answered them. The memory keeps,
for each of those learner questions, its vector and the vector of the entry that answered it (the
mean of that entry's phrasings). A new question is compared with the remembered ones; its closest
neighbours lend their entries' vectors (a sharp softmax over the cosines), and the mean of those is
matched against the current base's entries like a rephrasing of the question. So "parchemin" finds
the diploma entry of a base whose wording the memory never saw, as long as some learner elsewhere
asked about a diploma that way.

The memory also keeps the questions no entry answered (out of scope: "l'examen du permis c'est
quand ?", "mon groupe de musique cherche un batteur"). The share of a question's closest neighbours
that were out of scope is a signal of the answer/no-answer model (faq_accept): learners' off-topic
questions look like each other across courses (alone, it tells in-scope from out-of-scope questions
of a base it never saw with an AUC of 0.95).

Built by `python -m benchmarks.train_faq_adapter` with the adapter it ships with (the vectors are
adapted ones; `adapter` is that adapter's digest, and the memory is not used with another). Stored
as float16; NumPy only, ~0.3 ms a question for ~4 000 remembered questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from bot.services.faq_adapter import Adapter, TrainingBase

MEMORY_FILE = Path(__file__).with_name("faq_memory.npz")
NEIGHBOURS = 10  # remembered questions that lend their entry
TEMPERATURE = 0.02  # of the softmax over their cosines: the closest ones weigh most
NONE_NEIGHBOURS = 20  # remembered questions, answered or not, that say whether it is out of scope
NONE_TEMPERATURE = 0.05


def _unit(z: Any) -> Any:
    return z / np.maximum(np.linalg.norm(z, axis=-1, keepdims=True), 1e-12)


@dataclass(frozen=True)
class Memory:
    questions: Any  # (N, d) float32, unit rows: remembered learner questions, adapted
    targets: Any  # (T, d) float32, unit rows: the entries that answered them (mean of phrasings)
    target_of: Any  # (N,) int: row of `targets` answering each question, -1 when none did
    adapter: str  # digest of the adapter the vectors were computed with

    def recall(self, vector: Any) -> tuple[Any, float]:
        """A unit vector standing for what the question's closest remembered (answered) questions
        asked about; and the share of its closest remembered questions that were out of scope."""
        sims = self.questions @ np.asarray(vector, dtype=np.float32)
        rows = self._answered
        near = rows[_nearest(sims[rows], NEIGHBOURS)]
        weight = _softmax(sims[near], TEMPERATURE)
        recalled = _unit(weight @ self.targets[self.target_of[near]]).astype(np.float32)
        near = _nearest(sims, NONE_NEIGHBOURS)
        none = float(_softmax(sims[near], NONE_TEMPERATURE) @ (self.target_of[near] < 0))
        return recalled, none

    @cached_property
    def _answered(self) -> Any:
        """Rows of the questions an entry answered."""
        return np.flatnonzero(self.target_of >= 0)


def _nearest(sims: Any, count: int) -> Any:
    count = min(count, len(sims))
    return np.argpartition(-sims, count - 1)[:count]


def _softmax(sims: Any, temperature: float) -> Any:
    weight = np.exp((sims - sims.max()) / temperature)
    return weight / weight.sum()


def build(bases: Sequence[TrainingBase], adapter: Adapter) -> Memory:
    """The memory of the questions of `bases` (raw USE vectors), through `adapter`."""
    questions, targets, target_of = [], [], []
    offset = 0  # rows of `targets` taken by the bases before
    for base in bases:
        phrasings = adapter.apply(base.phrasings)
        targets.append(_unit(np.stack([phrasings[base.owner == j].mean(axis=0) for j in range(base.size)])))
        questions.append(adapter.apply(base.questions))
        target_of.append(np.where(base.expected >= 0, base.expected + offset, -1))
        offset += base.size
    return Memory(
        questions=np.vstack(questions).astype(np.float32),
        targets=np.vstack(targets).astype(np.float32),
        target_of=np.concatenate(target_of).astype(np.int32),
        adapter=adapter.digest,
    )


def save_memory(memory: Memory, path: Path = MEMORY_FILE) -> None:
    with path.open("wb") as out:
        np.savez_compressed(
            out,
            questions=memory.questions.astype(np.float16),
            targets=memory.targets.astype(np.float16),
            target_of=memory.target_of,
            adapter=np.array(memory.adapter),
        )


def load_memory(adapter: str, path: Path = MEMORY_FILE) -> Memory | None:
    """The shipped memory if it was built with the adapter of digest `adapter`, else None."""
    if not path.exists():
        return None
    with np.load(path) as data:
        if str(data["adapter"]) != adapter:
            return None
        return Memory(
            questions=_unit(data["questions"].astype(np.float32)),
            targets=_unit(data["targets"].astype(np.float32)),
            target_of=data["target_of"].astype(np.intp),
            adapter=adapter,
        )
