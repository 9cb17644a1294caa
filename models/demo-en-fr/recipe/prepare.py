"""Build the parallel corpus: DDTP descriptions + French gettext catalogs.

DDTP (Debian Description Translation Project): English and French descriptions
are paired by ``Description-md5``.  Short summaries are paired directly; long
descriptions are paired paragraph by paragraph (only when both sides have the
same number of paragraphs), then bullet item by bullet item and sentence by
sentence wherever both sides split alike.  Dev and test sets are held out by
*source* package, and any English segment occurring in them is removed from
training (no leakage).

Gettext: every ``/usr/share/locale/fr/LC_MESSAGES/*.mo`` on this machine, with
accelerator marks removed and only pairs whose placeholders match kept.  The
owning Debian package and its licence are recorded in ``data/sources.tsv``.

Outputs: ``$WORK/corpus/{train,dev,test}.{en,fr}`` and the committed
``recipe/data/{test,dev}.{en,fr}``, ``recipe/data/stats.json``.
"""
import gettext
import json
import random
import re
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

from common import CORPUS, DATA, LISTS

SEED = 1234
TEST_SENTS, DEV_SENTS = 800, 800
MO_DIR = Path("/usr/share/locale/fr/LC_MESSAGES")
BULLET = re.compile(r"^\s*(?:[*+o•-]|\d+[.)])\s+")
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[«\"(\[]?[A-ZÀ-Ý0-9])")
PLACEHOLDER = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[hlLqjzt]*[diouxXeEfgGcspn%]|%\d+|\{[\w.]*\}|\$\{?\w+\}?")
ACCEL = re.compile(r"(?<![\w&])[_&](?=\w)")


def lz4_stanzas(path):
    """Yield deb822 stanzas of an lz4-compressed index as dicts (continuation lines kept raw)."""
    text = subprocess.run(["lz4", "-dc", str(path)], check=True, capture_output=True).stdout.decode("utf-8")
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if fields:
            yield fields


def norm(text):
    return " ".join(text.split())


def paragraphs(long_desc):
    """Split a long description into paragraphs; each is a list of blocks (bullet items / prose)."""
    paras, cur = [], []
    for line in long_desc.split("\n"):
        if line.strip() == ".":
            paras.append(cur)
            cur = []
        else:
            cur.append(line[1:] if line.startswith(" ") else line)
    paras.append(cur)
    out = []
    for lines in paras:
        blocks = []
        for line in lines:
            if BULLET.match(line):
                blocks.append(BULLET.sub("", line))
            elif blocks and not (line.startswith(" ") and not blocks[-1]):
                blocks[-1] += " " + line
            else:
                blocks.append(line)
        blocks = [norm(b) for b in blocks if norm(b)]
        if blocks:
            out.append(blocks)
    return out


def align(en_text, fr_text):
    """Yield aligned (en, fr) segments of one description pair."""
    en_sum, _, en_long = en_text.partition("\n")
    fr_sum, _, fr_long = fr_text.partition("\n")
    yield norm(en_sum), norm(fr_sum)
    en_p, fr_p = paragraphs(en_long), paragraphs(fr_long)
    if len(en_p) != len(fr_p):
        return
    for ep, fp in zip(en_p, fr_p):
        if len(ep) != len(fp):
            ep, fp = [" ".join(ep)], [" ".join(fp)]
        for eb, fb in zip(ep, fp):
            es, fs = SENT_SPLIT.split(eb), SENT_SPLIT.split(fb)
            if len(es) == len(fs):
                yield from zip(es, fs)
            else:
                yield eb, fb


def keep(en, fr):
    """Length and ratio filter."""
    if not en or not fr or len(en) > 600 or len(fr) > 750:
        return False
    ratio = len(fr) / len(en)
    slack = 2.0 if min(len(en), len(fr)) < 20 else 1.0
    return 0.5 / slack <= ratio <= 2.2 * slack


def ddtp():
    """Return {source package: [(en, fr), ...]} from the DDTP indexes."""
    src_of = {}
    for f in LISTS.glob("*_main_binary-*_Packages.lz4"):
        for st in lz4_stanzas(f):
            src_of[st["Package"]] = st.get("Source", st["Package"]).split()[0]
    en = {}
    for f in LISTS.glob("*_main_i18n_Translation-en.lz4"):
        for st in lz4_stanzas(f):
            en[st["Description-md5"]] = (st["Package"], st["Description-en"])
    groups = defaultdict(list)
    for f in LISTS.glob("*_main_i18n_Translation-fr.lz4"):
        for st in lz4_stanzas(f):
            if st["Description-md5"] not in en:
                continue
            pkg, en_text = en[st["Description-md5"]]
            for pair in align(en_text, st["Description-fr"]):
                if keep(*pair):
                    groups[src_of.get(pkg, pkg)].append(pair)
    return groups


def licence_of(pkg):
    """Main licence of a Debian package, from /usr/share/doc/PKG/copyright."""
    path = Path("/usr/share/doc") / pkg / "copyright"
    if not path.exists():
        return "unknown (no copyright file)"
    text = path.read_text(errors="replace")
    stanza = re.search(r"^Files:\s*\*\s*$.*?^License:\s*(\S[^\n]*)", text, re.M | re.S)
    if stanza:
        return stanza.group(1).strip()
    found = re.search(r"GNU (Lesser |Library )?General Public License[^.]*?version (\d(?:\.\d)?)", text, re.S)
    if found:
        return ("LGPL-" if found.group(1) else "GPL-") + found.group(2) + " (free-text copyright file)"
    return "see /usr/share/doc/%s/copyright" % pkg


def mo_owner(path):
    """Return (package, main licence) of the Debian package shipping ``path``."""
    out = subprocess.run(["dpkg", "-S", str(path)], capture_output=True, text=True).stdout
    pkg = out.split(":")[0].strip() if out else "unknown"
    return pkg, licence_of(pkg)


def gettext_pairs():
    """Return (pairs, sources) from the installed French .mo catalogs."""
    pairs, sources = [], []
    for mo in sorted(MO_DIR.glob("*.mo")):
        with open(mo, "rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog
        n = 0
        for key, fr in catalog.items():
            en = key[0] if isinstance(key, tuple) else key
            if not en or not fr or (isinstance(key, tuple) and key[1] != 0):
                continue
            en = en.split("\x04")[-1]
            en, fr = norm(ACCEL.sub("", en)), norm(ACCEL.sub("", fr))
            if Counter(PLACEHOLDER.findall(en)) != Counter(PLACEHOLDER.findall(fr)):
                continue
            if (en == fr and len(en) > 12) or not re.search(r"[A-Za-z]", en) or not keep(en, fr):
                continue
            pairs.append((en, fr))
            n += 1
        pkg, lic = mo_owner(mo)
        sources.append((mo.name, pkg, lic, n))
    return pairs, sources


def write(prefix, pairs):
    prefix.parent.mkdir(parents=True, exist_ok=True)
    for i, lang in enumerate(("en", "fr")):
        Path(f"{prefix}.{lang}").write_text("".join(p[i] + "\n" for p in pairs))


def main():
    rng = random.Random(SEED)
    groups = ddtp()
    names = sorted(groups)
    rng.shuffle(names)
    held = {"test": [], "dev": []}
    train_groups = []
    for name in names:
        uniq = list(dict.fromkeys(groups[name]))
        for split, want in (("test", TEST_SENTS), ("dev", DEV_SENTS)):
            if len(held[split]) < want and len(held[split]) + len(uniq) <= want + 20 and len(uniq) <= 40:
                held[split].extend(uniq)
                break
        else:
            train_groups.append(name)
    held_en = {en for split in held.values() for en, _ in split}
    for split in held:  # a segment shared by dev and test packages stays only in test
        seen = {en for en, _ in held["test"]} if split == "dev" else set()
        held[split] = [p for p in dict.fromkeys(held[split]) if p[0] not in seen]
    ddtp_train = [p for g in train_groups for p in groups[g] if p[0] not in held_en]
    gt_pairs, sources = gettext_pairs()
    gt_train = [p for p in gt_pairs if p[0] not in held_en]
    train = list(dict.fromkeys(ddtp_train + gt_train))
    rng.shuffle(train)
    for split, pairs in (("train", train), ("dev", held["dev"]), ("test", held["test"])):
        write(CORPUS / split, pairs)
    for split in ("dev", "test"):
        write(DATA / split, held[split])
    with open(DATA / "sources.tsv", "w") as fh:
        fh.write("catalog\tdebian_package\tlicence\tpairs_kept\n")
        fh.writelines(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in sources)
    stats = {
        "ddtp_source_packages": len(groups),
        "ddtp_train_pairs": len(dict.fromkeys(ddtp_train)),
        "gettext_catalogs": len(sources),
        "gettext_pairs": len(dict.fromkeys(gt_train)),
        "train_pairs": len(train),
        "train_words_en": sum(len(e.split()) for e, _ in train),
        "train_words_fr": sum(len(f.split()) for _, f in train),
        "dev_pairs": len(held["dev"]),
        "test_pairs": len(held["test"]),
    }
    (DATA / "stats.json").write_text(json.dumps(stats, indent=1) + "\n")
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
