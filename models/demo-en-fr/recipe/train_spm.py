"""Train the shared SentencePiece model and encode the corpus to token ids.

OPUS-MT conventions: ``</s>`` = 0, ``<unk>`` = 1, no ``<s>``; ``<pad>`` is not a
SentencePiece piece but is appended last to the Marian vocabulary (id 7999).
Byte fallback lets any character (names, URLs, rare scripts) pass through
without ``<unk>``.  Encoded splits are saved as ``$WORK/corpus/{split}.pt``.
"""
import sentencepiece as spm
import torch

from common import CORPUS, EOS_ID, SPM_PREFIX, UNK_ID, VOCAB_SIZE


def main():
    SPM_PREFIX.parent.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        input=[str(CORPUS / "train.en"), str(CORPUS / "train.fr")],
        model_prefix=str(SPM_PREFIX),
        vocab_size=VOCAB_SIZE - 1,
        model_type="unigram",
        character_coverage=0.9999,
        byte_fallback=True,
        eos_id=EOS_ID,
        unk_id=UNK_ID,
        bos_id=-1,
        pad_id=-1,
        input_sentence_size=1_000_000,
        shuffle_input_sentence=True,
        num_threads=2,
    )
    sp = spm.SentencePieceProcessor(model_file=f"{SPM_PREFIX}.model")
    for split in ("train", "dev", "test"):
        pairs = []
        en = (CORPUS / f"{split}.en").read_text().splitlines()
        fr = (CORPUS / f"{split}.fr").read_text().splitlines()
        for e, f in zip(sp.encode(en), sp.encode(fr)):
            pairs.append((torch.tensor(e + [EOS_ID], dtype=torch.int16), torch.tensor(f + [EOS_ID], dtype=torch.int16)))
        torch.save(pairs, CORPUS / f"{split}.pt")
        print(split, len(pairs), "pairs,", sum(len(f) for _, f in pairs), "target tokens")


if __name__ == "__main__":
    main()
