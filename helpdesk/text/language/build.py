"""Build the detector's data from training text (used by `make profiles`, never at run time).

Four artefacts, all plain text and deterministic:

* ``profiles/<code>``: langdetect profiles (1-3 character n-grams, the JSON that
  ``langdetect.DetectorFactory`` loads), one per language;
* ``words.tsv``: per word, a smoothed log-probability for every language (tenths of a nat,
  relative to the best language), the word-level evidence;
* ``affixes.tsv``: per word-final ("keun$") and word-initial ("^dipun") run of 2-4
  letters, a smoothed log-probability for every language over word types (the evidence
  for words that ``words.tsv`` lacks);
* ``markers.tsv``: per word, how many times more frequent it is in a regional language
  than in any Indonesian source or in English (log ratio, tenths of a nat).

Word probabilities use a "shared vocabulary" estimate: a word never seen in language L
is as likely there as elsewhere only while L's corpus is too small to have met it; a
frequent Indonesian word absent from all Javanese text is strong evidence against
Javanese, a rare one is not. Each corpus source of a language weighs the same, so
Indonesian reviews do not drown Indonesian tweets.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from helpdesk.text.language.corpora import lexicon, register_words, training_texts
from helpdesk.text.language.detector import PROFILED_LANGUAGES
from helpdesk.text.language.text import words

LANGUAGES = PROFILED_LANGUAGES
INDONESIAN = "id"
TWEET_CAP_CHARS = 400_000  # per language; more drifts Javanese towards Balinese
DISCOUNT = 0.5  # absolute discount on observed counts
SHARED_PRIOR = 0.5  # prior probability that a word is shared between two languages
FLOOR = 0.1  # floor for unseen words, in occurrences per corpus
MIN_WORD_COUNT = 2.0  # rarer words are left to the character n-grams
MIN_MARKER_LOG_RATIO = 0.0
AFFIX_LENGTHS = (2, 3, 4)
MIN_AFFIX_WORD = 5
MIN_AFFIX_TYPES = 5
AFFIX_PRIOR = 20.0
QUANTUM = 10  # stored values are tenths of a nat
# Occurrences credited to each word of the speech-level lists (corpus/registers.tsv).
REGISTER_WORD_COUNT = 3

# Everyday Indonesian chat and public-service words that must never count as evidence
# for a regional language (they are borrowed everywhere): greetings, forms of address,
# particles, abbreviations, and the names of documents and offices.
INDONESIAN_CHAT_WORDS: frozenset[str] = frozenset(
    """
    halo hallo hai hi selamat pagi siang sore malam salam assalamualaikum permisi
    terima kasih makasih trims thanks oke ok okay siap sip baik iya ya yaa yup nggak
    enggak gak ga tidak tdk bukan belum blm sudah sdh udah kak kakak min mimin admin
    pak bapak bu ibu mas mbak bang om tante bot robot halo warga
    dong deh sih nih tuh kok kah lah aja saja juga jg yg yang utk untuk dgn dengan
    sy saya aku gw gue kami kita anda kamu km
    gimana gmn gmna bagaimana kapan dimana mana berapa brp apa apakah kenapa mengapa
    bisa bs tolong mohon mau ingin minta tanya nanya info informasi
    cek status syarat persyaratan berkas dokumen biaya bayar gratis berbayar online
    daftar pendaftaran pengajuan permohonan urus ngurus mengurus bikin buat membuat
    layanan pelayanan kantor loket kelurahan kecamatan desa dinas dukcapil disdukcapil
    samsat puskesmas polres polsek ktp kk kia akta akte skck bpjs jkn nib oss pbg imb
    pbb stnk bpkb sim paspor sktm npwp nik domisili surat pindah kematian kelahiran
    nomor no antrean antrian jadwal jam buka tutup hari
    """.split()
)


def count_sources(shared: Path) -> dict[tuple[str, str], Counter[str]]:
    """Word counts per (language, source); the lexicons are a source of their own."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for code, sources in training_texts(shared).items():
        for source, texts in sorted(sources.items()):
            counter: Counter[str] = Counter()
            chars = 0
            for text in texts:
                if source == "tweets" and chars > TWEET_CAP_CHARS:
                    break
                chars += len(text)
                counter.update(words(text))
            counts[(code, source)] = counter
    indonesian: Counter[str] = Counter()
    for code, pairs in sorted(lexicon(shared).items()):
        regional: Counter[str] = Counter()
        for source_word, word in pairs:
            indonesian.update(words(source_word))
            if word.lower() != source_word.lower():
                regional.update(words(word))
        counts[(code, "lexicon")] = regional
    counts[(INDONESIAN, "lexicon")] = indonesian
    for word, code, _register in register_words():
        counts[(code, "lexicon")].update([word] * REGISTER_WORD_COUNT)
    return counts


def effective_counts(counts: dict[tuple[str, str], Counter[str]]) -> dict[str, dict[str, float]]:
    """Per language, counts with every corpus source weighted equally, plus the lexicon."""
    result: dict[str, dict[str, float]] = {}
    for code in LANGUAGES:
        parts = [
            c for (lang, src), c in sorted(counts.items()) if lang == code and src != "lexicon"
        ]
        total = sum(sum(c.values()) for c in parts)
        merged: dict[str, float] = {}
        for part in parts:
            scale = total / sum(part.values()) / len(parts)
            for word, k in part.items():
                merged[word] = merged.get(word, 0.0) + k * scale
        for word, k in counts.get((code, "lexicon"), Counter()).items():
            merged[word] = merged.get(word, 0.0) + k
        result[code] = merged
    return result


def word_rows(eff: dict[str, dict[str, float]]) -> dict[str, list[int]]:
    """Quantised log P(word | language) for every word, relative to the best language."""
    sizes = {code: sum(eff[code].values()) for code in LANGUAGES}
    grand = sum(sizes.values())
    vocabulary = sorted(set().union(*(set(eff[code]) for code in LANGUAGES)))
    rows: dict[str, list[int]] = {}
    for word in vocabulary:
        total = sum(eff[code].get(word, 0.0) for code in LANGUAGES)
        if total < MIN_WORD_COUNT:
            continue
        logs = []
        for code in LANGUAGES:
            count, size = eff[code].get(word, 0.0), sizes[code]
            if count > DISCOUNT:
                p = (count - DISCOUNT) / size
            else:
                elsewhere = (total - count) / (grand - size)
                unseen = math.exp(-elsewhere * size)
                shared = SHARED_PRIOR * unseen / (SHARED_PRIOR * unseen + 1 - SHARED_PRIOR)
                p = max(shared * elsewhere, FLOOR / size)
            logs.append(math.log(p))
        best = max(logs)
        row = [round((v - best) * QUANTUM) for v in logs]
        if word in INDONESIAN_CHAT_WORDS:  # never evidence for a regional language
            row = [
                min(v, row[0]) if c not in (INDONESIAN, "en") else v
                for c, v in zip(LANGUAGES, row, strict=True)
            ]
        rows[word] = row
    return rows


def marker_rows(
    counts: dict[tuple[str, str], Counter[str]], eff: dict[str, dict[str, float]]
) -> dict[str, dict[str, int]]:
    """Per word, quantised log(rate in L / max(rate in any Indonesian source, in English))."""
    reference = [
        c
        for (lang, src), c in sorted(counts.items())
        if lang in (INDONESIAN, "en") and src != "lexicon"
    ]
    ref_sizes = [sum(c.values()) for c in reference]
    markers: dict[str, dict[str, int]] = {}
    for code in LANGUAGES:
        if code in (INDONESIAN, "en"):
            continue
        size = sum(eff[code].values())
        for word, count in eff[code].items():
            if len(word) < 2 or word in INDONESIAN_CHAT_WORDS:
                continue
            rate = max(count - DISCOUNT, FLOOR) / size
            ref = max(
                (c.get(word, 0) + DISCOUNT) / n for c, n in zip(reference, ref_sizes, strict=True)
            )
            ratio = math.log(rate / ref)
            if ratio >= MIN_MARKER_LOG_RATIO:
                markers.setdefault(word, {})[code] = round(ratio * QUANTUM)
    return markers


def affixes(word: str) -> list[str]:
    """The word's affix features: its last AFFIX_LENGTHS letters ("keun$") and its first
    ones ("^dipun"), for words of at least MIN_AFFIX_WORD letters."""
    if len(word) < MIN_AFFIX_WORD:
        return []
    return [word[-n:] + "$" for n in AFFIX_LENGTHS] + ["^" + word[:n] for n in AFFIX_LENGTHS]


def affix_rows(eff: dict[str, dict[str, float]]) -> dict[str, list[int]]:
    """Quantised log P(affix | language) over word types, relative to the best language.

    Counted over distinct words (morphology is productive: a suffix met on many words
    will meet new ones), smoothed towards the pooled distribution (Dirichlet prior of
    AFFIX_PRIOR types).
    """
    per_lang: dict[str, Counter[str]] = {}
    for code in LANGUAGES:
        counter: Counter[str] = Counter()
        for word, k in eff[code].items():
            if k >= 1.0:
                counter.update(affixes(word))
        per_lang[code] = counter
    pooled: Counter[str] = Counter()
    for counter in per_lang.values():
        pooled.update(counter)
    pooled_total = sum(pooled.values())
    totals = {code: sum(per_lang[code].values()) for code in LANGUAGES}
    rows: dict[str, list[int]] = {}
    for affix in sorted(pooled):
        if pooled[affix] < MIN_AFFIX_TYPES:
            continue
        base = pooled[affix] / pooled_total
        logs = [
            math.log((per_lang[c][affix] + AFFIX_PRIOR * base) / (totals[c] + AFFIX_PRIOR))
            for c in LANGUAGES
        ]
        best = max(logs)
        row = [round((v - best) * QUANTUM) for v in logs]
        if any(row):
            rows[affix] = row
    return rows


def char_ngrams(word: str) -> Iterable[str]:
    """langdetect's 1-3 grams of one word, padded with spaces (the lone space excluded)."""
    padded = f" {word} "
    for n in (1, 2, 3):
        for i in range(len(padded) - n + 1):
            gram = padded[i : i + n]
            if gram != " ":
                yield gram


def langdetect_profile(code: str, counts: dict[str, float]) -> dict[str, object]:
    """A langdetect `LangProfile` (name, freq, n_words) after its `omit_less_freq` rule."""
    freq: Counter[str] = Counter()
    for word, k in counts.items():
        for gram in char_ngrams(word):
            freq[gram] += k  # type: ignore[assignment]
    rounded = {g: int(round(k)) for g, k in freq.items()}
    n_words = [0, 0, 0]
    for gram, k in rounded.items():
        n_words[len(gram) - 1] += k
    threshold = max(n_words[0] // 100_000, 2)
    kept = {}
    for gram, k in rounded.items():
        if k <= threshold:
            n_words[len(gram) - 1] -= k
        else:
            kept[gram] = k
    return {"name": code, "freq": dict(sorted(kept.items())), "n_words": n_words}


def build(shared: Path, out: Path) -> dict[str, int]:
    """Write every artefact into `out`; return the number of entries of each."""
    counts = count_sources(shared)
    eff = effective_counts(counts)
    (out / "profiles").mkdir(parents=True, exist_ok=True)
    for code in LANGUAGES:
        profile = langdetect_profile(code, eff[code])
        text = json.dumps(profile, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        (out / "profiles" / code).write_text(text + "\n", encoding="utf-8")
    rows = word_rows(eff)
    lines = ["\t".join(("#word", *LANGUAGES))]
    lines += ["\t".join((w, *map(str, r))) for w, r in rows.items()]
    (out / "words.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    markers = marker_rows(counts, eff)
    lines = ["#word\tlanguage=log ratio (tenths of a nat)"]
    for word in sorted(markers):
        pairs = " ".join(f"{c}={v}" for c, v in sorted(markers[word].items()))
        lines.append(f"{word}\t{pairs}")
    (out / "markers.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    affix = affix_rows(eff)
    lines = ["\t".join(("#affix", *LANGUAGES))]
    lines += ["\t".join((a, *map(str, r))) for a, r in affix.items()]
    (out / "affixes.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "languages": len(LANGUAGES),
        "words": len(rows),
        "markers": len(markers),
        "affixes": len(affix),
    }
