"""The USE adapter: its gradient, its training, the file it ships as."""

from __future__ import annotations

import numpy as np

from bot.services.faq_adapter import (
    ADAPTER_FILE,
    TrainingBase,
    load_adapter,
    loss_and_grad,
    save_adapter,
    train,
)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _toy_base(seed: int, dim: int = 8, entries: int = 5) -> TrainingBase:
    """Entries of two phrasings each; questions are noisy copies of a phrasing, plus 3 unrelated
    questions (out of scope)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(entries, dim))
    phrasings = _unit(np.repeat(centres, 2, axis=0) + 0.3 * rng.normal(size=(2 * entries, dim)))
    owner = np.repeat(np.arange(entries), 2)
    expected = np.r_[np.arange(entries).repeat(3), [-1, -1, -1]]
    in_scope = centres[expected[expected >= 0]] + 1.2 * rng.normal(size=(3 * entries, dim))
    questions = _unit(np.vstack([in_scope, rng.normal(size=(3, dim))]))
    return TrainingBase(
        phrasings=phrasings, owner=owner, questions=questions, expected=expected, size=entries
    )


def test_gradient_matches_finite_differences():
    bases = [_toy_base(1), _toy_base(2)]
    rng = np.random.default_rng(3)
    delta = 0.1 * rng.normal(size=(8, 8))
    threshold = 0.2
    _, g_delta, g_threshold = loss_and_grad(delta, threshold, bases, temp=0.2)
    h = 1e-6
    for i, j in [(0, 0), (2, 5), (7, 1), (4, 4)]:
        bump = np.zeros_like(delta)
        bump[i, j] = h
        up = loss_and_grad(delta + bump, threshold, bases, temp=0.2)[0]
        down = loss_and_grad(delta - bump, threshold, bases, temp=0.2)[0]
        assert abs((up - down) / (2 * h) - g_delta[i, j]) < 1e-5
    up = loss_and_grad(delta, threshold + h, bases, temp=0.2)[0]
    down = loss_and_grad(delta, threshold - h, bases, temp=0.2)[0]
    assert abs((up - down) / (2 * h) - g_threshold) < 1e-5


def test_training_lowers_the_loss_and_keeps_the_adapter_small():
    bases = [_toy_base(seed) for seed in range(4)]
    start = loss_and_grad(np.zeros((8, 8)), 0.3, bases, temp=0.1)[0]
    delta, threshold = train(bases, epochs=200, rate=1e-2)
    end = loss_and_grad(delta, threshold, bases, temp=0.1)[0]
    assert end < 0.8 * start
    assert 0.0 < np.abs(delta).max() < 2.0
    assert -1.0 < threshold < 1.0


def test_adapter_file_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    delta = 0.01 * rng.normal(size=(8, 8))
    path = tmp_path / "adapter.npz"
    save_adapter(delta, path)
    adapter = load_adapter(path)
    assert adapter is not None
    assert np.allclose(adapter.matrix, np.eye(8) + delta, atol=1e-4)  # stored as float16
    assert len(adapter.digest) == 12
    vectors = adapter.apply(_unit(rng.normal(size=(3, 8))))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert load_adapter(tmp_path / "missing.npz") is None


def test_the_shipped_adapter_is_a_512_dimension_map_near_the_identity():
    adapter = load_adapter()
    assert ADAPTER_FILE.exists() and adapter is not None
    assert adapter.matrix.shape == (512, 512)
    off_identity = np.linalg.norm(adapter.matrix - np.eye(512)) / np.sqrt(512)
    assert 0.0 < off_identity < 1.0


def test_the_default_embedder_adapts_use_and_names_its_vectors_after_the_adapter():
    from bot.services.faq_engine import ADAPTED_USE_BAND, USE_BAND, UseEmbedder

    adapted = UseEmbedder()
    plain = adapted.with_adapter(None)
    assert adapted.name == f"{plain.name}+adapter-{load_adapter().digest}"
    assert (adapted.band, plain.band) == (ADAPTED_USE_BAND, USE_BAND)
    texts = ["yaura une video du cours de mardi ?", "Are virtual classes recorded?"]
    a, p = adapted.embed(texts), plain.embed(texts)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a, load_adapter().apply(p), atol=1e-5)
