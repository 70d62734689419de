"""Readers for the shared language corpora (build and evaluation time only).

The layout is the one described in `../shared/data/README.md`. Training text never
includes a sentence of any evaluation split: NusaTranslation rows whose Indonesian
source is in a valid/test file are dropped, and so is every IndoNLU sentence that shares
a run of six words with NusaX or NusaTranslation valid/test (IndoNLU overlaps both).
Nothing here is imported at run time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# NusaX column name -> ISO 639 code.
NUSAX_LANGUAGES: dict[str, str] = {
    "indonesian": "id",
    "english": "en",
    "javanese": "jv",
    "sundanese": "su",
    "acehnese": "ace",
    "balinese": "ban",
    "banjarese": "bjn",
    "buginese": "bug",
    "madurese": "mad",
    "minangkabau": "min",
    "ngaju": "nij",
    "toba_batak": "bbc",
}
# NusaTranslation file prefix -> ISO 639 code of its target side.
NUSATRANSLATION_LANGUAGES: dict[str, str] = {"jav": "jv", "sun": "su", "min": "min", "mad": "mad"}
# IndoNLU files used for Indonesian (path, text column, delimiter, has header).
INDONLU_FILES: tuple[tuple[str, int, str, bool], ...] = (
    ("smsa_doc-sentiment-prosa/train_preprocess.tsv", 0, "\t", False),
    ("smsa_doc-sentiment-prosa/valid_preprocess.tsv", 0, "\t", False),
    ("emot_emotion-twitter/train_preprocess.csv", 1, ",", True),
    ("casa_absa-prosa/train_preprocess.csv", 0, ",", True),
    ("hoasa_absa-airy/train_preprocess.csv", 0, ",", True),
)
# Text shipped with the project (helpdesk/text/language/corpus/, see its NOTICE): per file, the
# language it is and the source name it counts under.
PROJECT_CORPUS: tuple[tuple[str, str, str], ...] = (
    ("ud_javanese_csui.train.txt", "jv", "ud"),
    ("project_jv.txt", "jv", "project"),
    ("project_su.txt", "su", "project"),
    ("project_id.txt", "id", "project"),
)
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
_SHINGLE = 6
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Sample:
    """One evaluation sentence with its gold language."""

    language: str
    text: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _key(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def _shingles(text: str) -> Iterator[tuple[str, ...]]:
    tokens = _key(text).split()
    if len(tokens) < _SHINGLE:
        yield tuple(tokens)
        return
    for i in range(len(tokens) - _SHINGLE + 1):
        yield tuple(tokens[i : i + _SHINGLE])


def nusax(shared: Path, split: str) -> list[Sample]:
    """NusaX-MT rows of one split, every language, in file order."""
    samples = []
    for row in _rows(shared / "data" / "nusax" / "mt" / f"{split}.csv"):
        for column, code in NUSAX_LANGUAGES.items():
            samples.append(Sample(code, row[column]))
    return samples


def nusatranslation(shared: Path, split: str, sources: bool = True) -> list[Sample]:
    """NusaTranslation rows of one split: targets, plus the distinct Indonesian sources."""
    samples: list[Sample] = []
    seen: set[str] = set()
    for prefix, code in NUSATRANSLATION_LANGUAGES.items():
        for row in _rows(shared / "data" / "nusatranslation" / f"{prefix}-{split}.csv"):
            samples.append(Sample(code, row["tgt_text"]))
            key = _key(row["ind_text"])
            if sources and key not in seen:
                seen.add(key)
                samples.append(Sample("id", row["ind_text"]))
    return samples


def held_out(shared: Path) -> set[tuple[str, ...]]:
    """Six-word shingles of every valid/test sentence (the texts training must avoid)."""
    shingles: set[tuple[str, ...]] = set()
    for split in ("valid", "test"):
        texts = [s.text for s in nusax(shared, split) if s.language == "id"]
        texts += [s.text for s in nusatranslation(shared, split) if s.language == "id"]
        for text in texts:
            shingles.update(_shingles(text))
    return shingles


def _clean_of(texts: Iterable[str], avoid: set[tuple[str, ...]]) -> list[str]:
    return [t for t in texts if t.strip() and not any(s in avoid for s in _shingles(t))]


def indonlu(shared: Path, avoid: set[tuple[str, ...]]) -> list[str]:
    """IndoNLU Indonesian sentences, minus any that overlap an evaluation split."""
    texts: list[str] = []
    for name, column, delimiter, header in INDONLU_FILES:
        path = shared / "data" / "indonlu" / name
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=delimiter))
        texts += [r[column] for r in rows[1 if header else 0 :] if len(r) > column]
    return _clean_of(texts, avoid)


def training_texts(shared: Path) -> dict[str, dict[str, list[str]]]:
    """Training text per language and source: {code: {"nusax"|"tweets"|"indonlu"|...: [...]}}.

    Besides the shared corpora: the project's own krama/lemes text and UD Javanese-CSUI
    (`PROJECT_CORPUS`).
    """
    avoid = held_out(shared)
    corpus: dict[str, dict[str, list[str]]] = {c: {} for c in NUSAX_LANGUAGES.values()}
    for sample in nusax(shared, "train"):
        corpus[sample.language].setdefault("nusax", []).append(sample.text)
    sources: list[str] = []
    for prefix, code in NUSATRANSLATION_LANGUAGES.items():
        path = shared / "data" / "nusatranslation" / f"{prefix}-train.csv"
        kept = [r for r in _rows(path) if not any(s in avoid for s in _shingles(r["ind_text"]))]
        corpus[code]["tweets"] = [r["tgt_text"] for r in kept]
        sources += [r["ind_text"] for r in kept]
    corpus["id"]["tweets"] = list(dict.fromkeys(sources))
    corpus["id"]["indonlu"] = indonlu(shared, avoid)
    for name, code, source in PROJECT_CORPUS:
        lines = (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()
        corpus[code][source] = [line for line in lines if line.strip()]
    return corpus


def register_words(path: Path = CORPUS_DIR / "registers.tsv") -> list[tuple[str, str, str]]:
    """The speech-level word lists: (word, language, register) rows of `registers.tsv`."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, code, register = line.split("\t")
            rows.append((word, code, register))
    return rows


def lexicon(shared: Path) -> dict[str, list[tuple[str, str]]]:
    """NusaX lexicon pairs per language: {code: [(indonesian, regional), ...]}."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    for column, code in NUSAX_LANGUAGES.items():
        path = shared / "data" / "nusax" / "lexicon" / f"{column}.csv"
        if path.exists():
            rows = _rows(path)
            pairs[code] = [(r["indonesian"].strip(), r[column].strip()) for r in rows]
    return pairs
