"""Download Debian's translated package descriptions (DDTP) with apt itself.

The machine's apt configuration sets ``Acquire::Languages "none"``; a private
config re-enables English and French and a private lists directory keeps the
system's own lists untouched.  Result: ``$WORK/lists/*_main_i18n_Translation-{en,fr}.lz4``
plus the ``Packages`` index (used to map binary to source packages).
"""
import subprocess

from common import LISTS, WORK

LANGS_CONF = '#clear Acquire::Languages;\nAcquire::Languages { "en"; "fr"; };\n'


def main():
    (LISTS / "partial").mkdir(parents=True, exist_ok=True)
    conf = WORK / "langs.conf"
    conf.write_text(LANGS_CONF)
    subprocess.run(["apt-get", "-c", str(conf), "-o", f"Dir::State::Lists={LISTS}", "update"], check=True)
    for lang in ("en", "fr"):
        found = sorted(LISTS.glob(f"*_main_i18n_Translation-{lang}.lz4"))
        if not found:
            raise SystemExit(f"no Translation-{lang} downloaded")
        print(*found, sep="\n")


if __name__ == "__main__":
    main()
