"""Model language codes -> ISO 639 code and English name.

Models name languages their own way: `fra_Latn` (NLLB), `__fr__` (M2M100), `fr_XX` (mBART-50),
`>>fra<<` (OPUS-MT), `French` (T5 prompts). The app shows and accepts ISO 639-1 codes where
one exists, else the ISO 639-3 code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.engine.manifest import Language

# "<ISO 639-1 code, or - if none> <ISO 639-3 codes, the usual one first> <English name>".
# NLLB uses individual-language codes (arb, pes, zsm, ...) for macrolanguages; they map to the
# macrolanguage's code.
_TABLE = """
af afr Afrikaans
am amh Amharic
ar ara,arb Arabic
as asm Assamese
az aze,azj Azerbaijani
ba bak Bashkir
be bel Belarusian
bg bul Bulgarian
bm bam Bambara
bn ben Bengali
bo bod Tibetan
br bre Breton
bs bos Bosnian
ca cat Catalan
cs ces Czech
cy cym Welsh
da dan Danish
de deu German
dz dzo Dzongkha
el ell Greek
en eng English
eo epo Esperanto
es spa Spanish
et est Estonian
eu eus Basque
fa fas,pes Persian
ff ful,fuv Fulah
fi fin Finnish
fj fij Fijian
fo fao Faroese
fr fra French
fy fry Western Frisian
ga gle Irish
gd gla Scottish Gaelic
gl glg Galician
gn grn Guarani
gu guj Gujarati
ha hau Hausa
he heb Hebrew
hi hin Hindi
hr hrv Croatian
ht hat Haitian Creole
hu hun Hungarian
hy hye Armenian
id ind Indonesian
ig ibo Igbo
is isl Icelandic
it ita Italian
ja jpn Japanese
jv jav Javanese
ka kat Georgian
kg kon Kongo
ki kik Kikuyu
kk kaz Kazakh
km khm Khmer
kn kan Kannada
ko kor Korean
ks kas Kashmiri
ku kur,kmr Kurdish
ky kir Kyrgyz
lb ltz Luxembourgish
lg lug Ganda
li lim Limburgish
ln lin Lingala
lo lao Lao
lt lit Lithuanian
lv lav,lvs Latvian
mg mlg,plt Malagasy
mi mri Maori
mk mkd Macedonian
ml mal Malayalam
mn mon,khk Mongolian
mr mar Marathi
ms msa,zsm Malay
mt mlt Maltese
my mya Burmese
nb nob Norwegian Bokmål
ne nep,npi Nepali
nl nld Dutch
nn nno Norwegian Nynorsk
no nor Norwegian
ny nya Chichewa
oc oci Occitan
om orm,gaz Oromo
or ori,ory Odia
pa pan Punjabi
pl pol Polish
ps pus,pbt Pashto
pt por Portuguese
qu que,quy Quechua
rn run Rundi
ro ron Romanian
ru rus Russian
rw kin Kinyarwanda
sa san Sanskrit
sc srd Sardinian
sd snd Sindhi
sg sag Sango
si sin Sinhala
sk slk Slovak
sl slv Slovenian
sm smo Samoan
sn sna Shona
so som Somali
sq sqi,als Albanian
sr srp Serbian
ss ssw Swati
st sot Southern Sotho
su sun Sundanese
sv swe Swedish
sw swa,swh Swahili
ta tam Tamil
te tel Telugu
tg tgk Tajik
th tha Thai
ti tir Tigrinya
tk tuk Turkmen
tl tgl Tagalog
tn tsn Tswana
tr tur Turkish
ts tso Tsonga
tt tat Tatar
tw twi Twi
ug uig Uyghur
uk ukr Ukrainian
ur urd Urdu
uz uzb,uzn Uzbek
vi vie Vietnamese
wo wol Wolof
xh xho Xhosa
yi yid,ydd Yiddish
yo yor Yoruba
zh zho,cmn Chinese
zu zul Zulu
- ast Asturian
- ceb Cebuano
- ilo Iloko
- nso Northern Sotho
- yue Cantonese
- fil Filipino
- haw Hawaiian
- hmn Hmong
- ckb Central Kurdish
- crh Crimean Tatar
- scn Sicilian
- vec Venetian
- war Waray
- ace Acehnese
- ban Balinese
- bho Bhojpuri
- mai Maithili
- mag Magahi
- awa Awadhi
- min Minangkabau
- pag Pangasinan
- pap Papiamento
- tpi Tok Pisin
- lmo Lombard
- lij Ligurian
- fur Friulian
- szl Silesian
- kab Kabyle
- kea Kabuverdianu
- fon Fon
- mos Mossi
- nus Nuer
- umb Umbundu
- kmb Kimbundu
- lua Luba-Lulua
- luo Luo
- lus Mizo
- mni Manipuri
- sat Santali
- shn Shan
- tum Tumbuka
- tzm Central Atlas Tamazight
"""

# mBART and M2M100 use a few codes that differ from ISO 639-1.
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "ns": "nso"}


@dataclass(frozen=True, slots=True)
class _Entry:
    iso: str
    name: str


def _parse() -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for line in _TABLE.strip().splitlines():
        two_letter, codes_text, name = line.split(" ", 2)
        codes = codes_text.split(",")
        iso = codes[0] if two_letter == "-" else two_letter
        for code in (*codes, *([two_letter] if two_letter != "-" else [])):
            entries[code] = _Entry(iso, name)
    return entries


_ENTRIES = _parse()
# `__fr__`, `>>fra<<`, `fra_Latn`, `fr_XX`, `de_DE`, `fr`, `fra`: the language part and the
# optional script or region part.
_CODE = re.compile(r"^(?:__|>>)?([a-z]{2,3})(?:[_-]([A-Za-z]{2,4}))?(?:__|<<)?$")


def base_code(code: str) -> str | None:
    """The language part of a model code (`fra_Latn` -> `fra`), None if it is not one."""
    match = _CODE.match(code)
    return match.group(1) if match else None


def lookup(code: str) -> Language | None:
    """The Language for a model's own code, or None when the code is unknown.

    Examples: `fra_Latn` -> fr, `__fr__` -> fr, `fr_XX` -> fr, `>>fra<<` -> fr, `ast` -> ast.
    """
    match = _CODE.match(code)
    if match is None:
        return None
    language = match.group(1)
    entry = _ENTRIES.get(_ALIASES.get(language, language))
    if entry is None:
        return None
    return Language(iso=entry.iso, code=code, name=entry.name)


def by_name(name: str) -> Language | None:
    """The Language whose English name is `name` (as in T5's "translate English to German")."""
    for entry in _ENTRIES.values():
        if entry.name.lower() == name.lower():
            return Language(iso=entry.iso, code=entry.iso, name=entry.name)
    return None


def unique(languages: list[Language]) -> tuple[Language, ...]:
    """Languages with distinct ISO codes and names.

    A later variant of a language (`zho_Hant` after `zho_Hans`) keeps its ISO 639-3 code and
    its model code in the name; a third variant has no code left and is left out.
    """
    seen: set[str] = set()
    result = []
    for language in languages:
        iso, name = language.iso, language.name
        fallback = base_code(language.code)
        if iso in seen and fallback is not None:
            iso, name = fallback, f"{name} ({language.code})"
        if iso in seen:
            continue
        seen.add(iso)
        result.append(Language(iso=iso, code=language.code, name=name))
    return tuple(result)
