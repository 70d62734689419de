"""Per-message language identification: langdetect profiles plus word-level evidence.

The score of language L for a message is a naive-Bayes sum over its words::

    S(L) = sum_w [ log P(w | L) + CHAR_WEIGHT * sum_g log(P(g | L) + alpha) ] + prior(L)

``P(g | L)`` is langdetect's n-gram table (our own profiles loaded by
``langdetect.DetectorFactory``, langdetect's smoothing ``alpha / BASE_FREQ``), summed
exactly over every n-gram rather than sampled at random, so the result needs no seed
and is the same on every call. ``P(w | L)`` comes from ``words.tsv``; a word not in it
is scored as its stem when a Javanese or Sundanese clitic (``CLITICS``: omah-mu,
jeneng-e, jupuk-na) leaves a known stem, and by its longest known suffix and prefix
(``affixes.tsv``, weight ``AFFIX_WEIGHT``); a strongly regional suffix (Sundanese -keun,
Javanese -ake) counts as a marker, and so does a clitic on a marker stem. Indonesian
gets a prior that grows as the message gets shorter. A regional verdict must then be
backed by marker words of that language (``markers.tsv``, log ratios summed over the
distinct words), or for two-word messages by a weaker marker plus a clear lead over
Indonesian and English (``MARGIN_WITH_WEAK_MARKER``); otherwise another regional
language with a marker, or else Indonesian/English, is chosen. A message of 3+ words
with no marker at all may still be called regional when that language beats
Indonesian and English by ``MARGIN_WITHOUT_MARKER`` nats.
"""

from __future__ import annotations

import functools
import math
import operator
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory

from helpdesk.text.language.text import words

DATA_DIR = Path(__file__).resolve().parent / "data"
# Everything detect() can return, in the order of the data files.
PROFILED_LANGUAGES: tuple[str, ...] = (
    *("id", "en", "jv", "su", "ace", "ban", "bjn", "bug", "mad", "min", "nij", "bbc"),
)
CHAR_WEIGHT = 0.1
# Indonesian prior (nats) for messages of 1, 2 and 3+ words.
INDONESIAN_PRIOR = (6.0, 3.0, 2.0)
# Minimum marker ratio for a regional verdict, for messages of 1, 2 and 3+ words.
MARKER_RATIO = (30.0, 10.0, 1.0)
# A regional language may win without a marker word when its score beats both
# Indonesian and English by this many nats (messages of 1, 2 and 3+ words); tuned on
# the valid splits so that no Indonesian valid text or NLU example turns regional.
MARGIN_WITHOUT_MARKER = (math.inf, math.inf, 2.0)
# A weaker marker (ratio of at least 3) backs a regional verdict when that language also
# beats Indonesian and English by this many nats (messages of 1, 2 and 3+ words).
WEAK_MARKER = math.log(3.0)
MARGIN_WITH_WEAK_MARKER = (math.inf, 3.0, math.inf)
QUANTUM = 10.0
# Weight of affix evidence (word-final and word-initial letters, ``affixes.tsv``) for
# words without a row in ``words.tsv``; the longest known suffix and prefix count.
AFFIX_WEIGHT = 0.35
AFFIX_LENGTHS = (4, 3, 2)  # tried longest first
MIN_AFFIX_WORD = 5
AFFIX_MARKER = 3.0
MAX_CHARS = 4_000  # longer messages are judged on their beginning
# Clitics and verb suffixes per regional language, longest first: a word that is not a
# marker itself (``omahmu``, ``jenenge``, ``jupukna``) counts as one when the stem left
# after such a suffix is a marker of that language (``omah``, ``jeneng``, ``jupuk``).
# Javanese: possessives -ku -mu -e -ne -ipun -nipun, verb suffixes -ake -ke -na -no -en
# -ana -ono -i; Sundanese: -na -keun -eun -an.
CLITICS: dict[str, tuple[str, ...]] = {
    "jv": (
        *("nipun", "ipun", "ake", "ana", "ono", "ne", "mu", "ku"),
        *("ke", "na", "no", "en", "e", "i"),
    ),
    "su": ("keun", "eun", "na", "an"),
}
MIN_STEM = 3
# A word without a row in ``words.tsv`` whose stem has one (after one of the clitics
# above) is also scored as its stem, at this weight, besides its affixes.
STEM_SUFFIXES: tuple[str, ...] = tuple(
    sorted({x for v in CLITICS.values() for x in v}, key=lambda x: (-len(x), x))
)
STEM_WEIGHT = 0.7
NON_REGIONAL = ("id", "en")


@dataclass(frozen=True)
class Detection:
    """A language code and how sure the detector is of it (0..1)."""

    language: str
    confidence: float


@dataclass(frozen=True)
class Scores:
    """Everything `decide` needs about one message."""

    languages: tuple[str, ...]
    log_scores: tuple[float, ...]  # S(L), Indonesian prior included
    markers: dict[str, float]  # per regional language, marker log ratios summed over distinct words
    word_count: int

    def shifted(self, nats: dict[str, float]) -> Scores:
        """The same scores with `nats` added to some languages (a conversation prior)."""
        shifted = (
            s + nats.get(lang, 0.0) for lang, s in zip(self.languages, self.log_scores, strict=True)
        )
        return replace(self, log_scores=tuple(shifted))

    def posterior(self) -> dict[str, float]:
        """Softmax of the scores."""
        top = max(self.log_scores)
        exps = [math.exp(s - top) for s in self.log_scores]
        total = sum(exps)
        return {lang: e / total for lang, e in zip(self.languages, exps, strict=True)}


class Model:
    """The loaded data; one instance per process, built on first use."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        header, *lines = (data_dir / "words.tsv").read_text(encoding="utf-8").splitlines()
        self.languages: tuple[str, ...] = tuple(header.split("\t")[1:])
        self.index = {lang: i for i, lang in enumerate(self.languages)}
        self.words: dict[str, tuple[float, ...]] = {}
        for line in lines:
            word, *values = line.split("\t")
            self.words[word] = tuple(int(v) / QUANTUM for v in values)
        self.markers: dict[str, dict[str, float]] = {}
        for line in (data_dir / "markers.tsv").read_text(encoding="utf-8").splitlines()[1:]:
            word, pairs = line.split("\t")
            self.markers[word] = {
                code: int(value) / QUANTUM
                for code, value in (pair.split("=") for pair in pairs.split())
            }
        self.affixes: dict[str, tuple[float, ...]] = {}
        affix_path = data_dir / "affixes.tsv"
        for line in affix_path.read_text(encoding="utf-8").splitlines()[1:]:
            affix, *values = line.split("\t")
            self.affixes[affix] = tuple(int(v) / QUANTUM for v in values)
        factory = DetectorFactory()
        profiles = [
            (data_dir / "profiles" / lang).read_text(encoding="utf-8") for lang in self.languages
        ]
        factory.load_json_profile(profiles)
        factory.set_seed(0)  # only matters to langdetect's own sampler (factory.create())
        if not tuple(factory.get_lang_list()) == self.languages == PROFILED_LANGUAGES:
            raise ValueError(f"{data_dir}: languages differ from {PROFILED_LANGUAGES}")
        alpha = Detector.ALPHA_DEFAULT / Detector.BASE_FREQ
        self.ngrams: dict[str, tuple[float, ...]] = {}
        for gram, probs in factory.word_lang_prob_map.items():
            logs = [math.log(p + alpha) for p in probs]
            top = max(logs)
            self.ngrams[gram] = tuple(CHAR_WEIGHT * (v - top) for v in logs)
        self.zero = (0.0,) * len(self.languages)
        self.word_vector = functools.lru_cache(maxsize=65_536)(self._word_vector)

    def _word_vector(self, word: str) -> tuple[tuple[float, ...], tuple[tuple[str, float], ...]]:
        """The word's contribution to every language's score, and its marker ratios.

        A word without a row in ``words.tsv`` is scored by its stem after a clitic (when
        the stem has a row) and by its longest known suffix and prefix; a suffix much
        likelier in a regional language than in Indonesian and English (``AFFIX_MARKER``
        nats) counts as a marker of that language, and so does a clitic on a marker stem.
        """
        total = self.words.get(word)
        markers = tuple(self.markers.get(word, {}).items())
        if total is None:
            total = self.zero
            stem_row = self._stem_row(word)
            if stem_row is not None:
                total = tuple(STEM_WEIGHT * v for v in stem_row)
            if len(word) >= MIN_AFFIX_WORD:
                for key in (lambda n: word[-n:] + "$", lambda n: "^" + word[:n]):
                    for n in AFFIX_LENGTHS:
                        row = self.affixes.get(key(n))
                        if row is not None:
                            weighted = (AFFIX_WEIGHT * v for v in row)
                            total = tuple(map(operator.add, total, weighted))
                            if key(n).endswith("$") and not markers:
                                markers = self._affix_markers(row)
                            break
        best = dict(markers)
        for code, ratio in self._stem_markers(word):
            best[code] = max(ratio, best.get(code, ratio))
        markers = tuple(best.items())
        padded = f" {word} "
        for n in (1, 2, 3):
            for i in range(len(padded) - n + 1):
                row = self.ngrams.get(padded[i : i + n])
                if row is not None:
                    total = tuple(map(operator.add, total, row))
        return total, markers

    def _stem_row(self, word: str) -> tuple[float, ...] | None:
        """The ``words.tsv`` row of the word's stem after the longest known suffix, if any."""
        for suffix in STEM_SUFFIXES:
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= MIN_STEM and stem in self.words:
                return self.words[stem]
        return None

    def _stem_markers(self, word: str) -> tuple[tuple[str, float], ...]:
        """Marker ratios of the word's stem, for languages whose clitic it ends in."""
        found = []
        for code, suffixes in CLITICS.items():
            for suffix in suffixes:
                stem = word[: -len(suffix)]
                if word.endswith(suffix) and len(stem) >= MIN_STEM:
                    ratio = self.markers.get(stem, {}).get(code)
                    if ratio is not None:
                        found.append((code, ratio))
                        break
        return tuple(found)

    def _affix_markers(self, row: tuple[float, ...]) -> tuple[tuple[str, float], ...]:
        reference = max(row[self.index[code]] for code in NON_REGIONAL)
        return tuple(
            (code, value - reference - AFFIX_MARKER)
            for code, value in zip(self.languages, row, strict=True)
            if code not in NON_REGIONAL and value - reference >= AFFIX_MARKER
        )

    def scores(self, text: str) -> Scores | None:
        """The scores of one message, or None when it holds no words."""
        tokens = words(text[:MAX_CHARS])
        if not tokens:
            return None
        total: tuple[float, ...] = self.zero
        markers: dict[str, float] = {}
        seen: set[str] = set()
        for token in tokens:
            vector, word_markers = self.word_vector(token)
            total = tuple(map(operator.add, total, vector))
            if token in seen:
                continue
            seen.add(token)
            for code, ratio in word_markers:
                markers[code] = markers.get(code, 0.0) + ratio
        bucket = min(len(tokens), len(INDONESIAN_PRIOR)) - 1
        prior = INDONESIAN_PRIOR[bucket]
        log_scores = tuple(
            s + prior if lang == "id" else s for lang, s in zip(self.languages, total, strict=True)
        )
        return Scores(self.languages, log_scores, markers, len(tokens))

    def label(self, scores: Scores, allowed: frozenset[str] = frozenset()) -> str:
        """The verdict: best score, a regional language only with a marker word.

        `allowed` lists regional languages that need no marker (the conversation's).
        """
        s = dict(zip(scores.languages, scores.log_scores, strict=True))
        best = max(scores.languages, key=s.__getitem__)
        if best in NON_REGIONAL or best in allowed:
            return best
        bucket = min(scores.word_count, len(MARKER_RATIO)) - 1
        floor = math.log(MARKER_RATIO[bucket])
        margin_of = {c: s[c] - max(s[code] for code in NON_REGIONAL) for c in scores.languages}
        backed = [
            c
            for c, r in scores.markers.items()
            if r >= floor or (r >= WEAK_MARKER and margin_of[c] >= MARGIN_WITH_WEAK_MARKER[bucket])
        ] + list(allowed)
        if best in backed:
            return best
        if backed:
            return max(backed, key=s.__getitem__)
        margin = s[best] - max(s[code] for code in NON_REGIONAL)
        if margin >= MARGIN_WITHOUT_MARKER[bucket]:
            return best
        return max(NON_REGIONAL, key=s.__getitem__)

    def detect(self, text: str) -> Detection:
        """Per-message detection, no context."""
        scores = self.scores(text)
        if scores is None:
            return Detection("id", 0.0)
        language = self.label(scores)
        return Detection(language, round(scores.posterior()[language], 4))


_lock = threading.Lock()
_model: Model | None = None


def model() -> Model:
    """The process-wide model, loaded on first use (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model()
    return _model


def detect(text: str) -> Detection:
    """Language of one message (ISO 639 code) and a confidence in 0..1.

    Deterministic, thread-safe; text without words (empty, emoji, numbers) is
    ``Detection("id", 0.0)``.
    """
    return model().detect(text)
