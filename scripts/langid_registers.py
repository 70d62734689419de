"""Language identification per register (krama, krama inggil, ngoko, lemes, loma, mixed).

Used by `scripts/eval_langid.py` (the "Registers" section of docs/measurements/langid.md); run
alone for a quick look: `.venv/bin/python scripts/langid_registers.py`.

Sets, and what each one is:
- `tests/langid_registers/real.tsv`: sentences quoted from public pages (URL per line),
  held out: never used to build or tune the detector.
- NusaTranslation **test** tweets (evaluation only), split by a fixed word rule decided
  before looking at the results: a jv tweet with 2+ distinct krama words
  (`KRAMA_RULE`) is krama, with none ngoko; a su tweet with 2+ lemes words
  (`LEMES_RULE`) is lemes, with none loma; Indonesian sources are `id`.
- UD Javanese-CSUI sentences 1, 11, 21, ... (the treebank's suggested test portion; the
  rest is training text), Javanese news and grammar examples, mostly ngoko.
- `tests/langid_registers/dev.tsv`: self-written citizen messages, used to tune (not
  held out; shown for completeness).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from helpdesk.text.language import detect  # noqa: E402
from helpdesk.text.language.corpora import Sample, nusatranslation, nusax  # noqa: E402
from helpdesk.text.language.registers import family, register  # noqa: E402
from helpdesk.text.language.text import words  # noqa: E402

REGISTER_DIR = REPO / "tests" / "langid_registers"
UD_TEST = REGISTER_DIR / "ud_javanese_csui.test.txt"
KRAMA_RULE = frozenset(
    "kula panjenengan boten mboten sampun wonten menika punika ingkang saged kaliyan dhateng"
    " badhe nggih inggih menawi punapa menapa kemawon pinten dinten nyuwun sanget".split()
)
LEMES_RULE = frozenset(
    "abdi punten nuhun sareng tiasa badé bade henteu sanés parantos nuju nyuhunkeun"
    " mangga dupi upami kumargi".split()
)
ORDER = (
    "jv-krama",
    "jv-krama-inggil",
    "jv-ngoko",
    "su-lemes",
    "su-loma",
    "id",
    "id-mixed",
)
TARGET = 0.90
REGIONAL_GOLD = ("jv", "su")


@dataclass(frozen=True)
class Item:
    register: str  # e.g. "jv-krama"
    text: str

    @property
    def language(self) -> str:
        return self.register.split("-")[0]

    @property
    def register_name(self) -> str | None:
        """The speech level as `helpdesk.text.language.registers` names it (krama_inggil, ...)."""
        _, _, rest = self.register.partition("-")
        return rest.replace("-", "_") if self.language in REGIONAL_GOLD else None


def read_tsv(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            reg, text, *_ = line.split("\t")
            items.append(Item(reg, text))
    return items


def tweets(shared: Path) -> list[Item]:
    """NusaTranslation test tweets by register (the fixed word rules above)."""
    items: list[Item] = []
    samples: Sequence[Sample] = nusatranslation(shared, "test")
    for s in samples:
        found = set(words(s.text))
        if s.language == "jv":
            hits = len(found & KRAMA_RULE)
            reg = "jv-krama" if hits >= 2 else "jv-ngoko" if hits == 0 else None
        elif s.language == "su":
            hits = len(found & LEMES_RULE)
            reg = "su-lemes" if hits >= 2 else "su-loma" if hits == 0 else None
        elif s.language == "id":
            reg = "id"
        else:
            reg = None
        if reg:
            items.append(Item(reg, s.text))
    return items


def ud_test() -> list[Item]:
    if not UD_TEST.exists():
        return []
    lines = UD_TEST.read_text(encoding="utf-8").splitlines()
    return [Item("jv-ngoko", t) for t in lines if t.strip()]


@dataclass(frozen=True)
class Row:
    register: str
    n: int
    language_accuracy: float
    family_accuracy: float | None  # register family right (krama+krama inggil, ngoko, ...)
    misses: tuple[tuple[str, str], ...]


def score(items: Sequence[Item], det: Callable[[str], str]) -> list[Row]:
    by_reg: dict[str, list[Item]] = {}
    for item in items:
        by_reg.setdefault(item.register, []).append(item)
    rows = []
    for reg in sorted(by_reg, key=lambda r: ORDER.index(r) if r in ORDER else len(ORDER)):
        group = by_reg[reg]
        hits, fam_hits, fam_total = 0, 0, 0
        misses = []
        for item in group:
            got = det(item.text)
            hits += got == item.language
            if got != item.language:
                misses.append((item.text, got))
            if item.register_name is not None:
                fam_total += 1
                got_reg = register(item.text, item.language)
                fam_hits += family(got_reg) == family(item.register_name)
        rows.append(
            Row(
                reg,
                len(group),
                hits / len(group),
                fam_hits / fam_total if fam_total else None,
                tuple(misses),
            )
        )
    return rows


def ours(text: str) -> str:
    return detect(text).language


def table(title: str, rows: Sequence[Row], held_out: bool) -> list[str]:
    lines = [f"### {title}", ""]
    lines += ["| register | n | language right | register family right | target met |"]
    lines += ["|---|---:|---:|---:|---|"]
    for r in rows:
        fam = "–" if r.family_accuracy is None else f"{r.family_accuracy:.3f}"
        met = ""
        if held_out and r.register in ORDER[:5]:
            met = "yes" if r.language_accuracy >= TARGET else "**no**"
        lines.append(f"| {r.register} | {r.n} | {r.language_accuracy:.3f} | {fam} | {met} |")
    lines.append("")
    return lines


def indonesian_sets(shared: Path) -> list[tuple[str, list[str]]]:
    """Indonesian texts that must not be called regional (all held out)."""
    real = REPO / "tests" / "nlu_real" / "items.tsv"
    real_id = [
        line.split("\t")[3]
        for line in real.read_text(encoding="utf-8").splitlines()
        if line.startswith("id\t")
    ]
    return [
        (
            "NusaX-MT test, Indonesian",
            [s.text for s in nusax(shared, "test") if s.language == "id"],
        ),
        (
            "NusaTranslation test, Indonesian sources",
            [s.text for s in nusatranslation(shared, "test") if s.language == "id"],
        ),
        ("Real citizen questions (tests/nlu_real), Indonesian", real_id),
    ]


def report(shared: Path, det: Callable[[str], str] = ours, show_misses: int = 5) -> list[str]:
    """The "Registers" section of the language-identification report."""
    lines = ["## Registers", "", (__doc__ or "").split("\n\n", 1)[1].strip(), ""]
    lines += [
        "Language right = the detector's language is the register's language (krama and",
        "krama inggil count as `jv`; the bot then answers in krama). Register family right =",
        "`helpdesk.text.language.registers.register` names the speech level (krama and krama",
        "inggil are one family). Target: language right >= 0.90 for every register on the",
        "held-out sets.",
        "",
    ]
    sets = [
        ("Public pages (held out)", read_tsv(REGISTER_DIR / "real.tsv"), True),
        ("NusaTranslation test tweets by word rule (held out)", tweets(shared), True),
        ("UD Javanese-CSUI test portion (held out)", ud_test(), True),
        (
            "Self-written citizen messages (tuned on, not held out)",
            read_tsv(REGISTER_DIR / "dev.tsv"),
            False,
        ),
    ]
    lines += ["### Indonesian called a regional language (target <= 1%)", ""]
    lines += ["| set | n | called regional | rate |", "|---|---:|---:|---:|"]
    for name, texts in indonesian_sets(shared):
        flagged = sum(det(t) not in ("id", "en") for t in texts)
        rate = 100 * flagged / max(len(texts), 1)
        lines.append(f"| {name} | {len(texts)} | {flagged} | {rate:.2f}% |")
    lines.append("")
    for title, items, held_out in sets:
        if not items:
            continue
        rows = score(items, det)
        lines += table(title, rows, held_out)
        examples = [(r.register, m) for r in rows for m in r.misses[:show_misses]]
        if examples and show_misses:
            lines += ["Misses (first few per register):", ""]
            lines += [f"- {reg}: “{text}” → {got}" for reg, (text, got) in examples]
            lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    from helpdesk.text.language.detector import Model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--data", type=Path, help="score another detector data directory")
    args = parser.parse_args(argv)
    det = ours
    if args.data:
        other = Model(args.data)

        def det(text: str) -> str:
            return other.detect(text).language

    print("\n".join(report(args.shared, det)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
