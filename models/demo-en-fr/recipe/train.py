"""Train the small Marian English->French transformer on CPU, resumably.

* Model: ``transformers.MarianMTModel`` built from :data:`MODEL_CONFIG`
  (OPUS-MT conventions: shared vocabulary, tied embeddings, static sinusoidal
  positions, ``<pad>`` = decoder start).
* Batches hold about ``--batch-tokens`` tokens (padded), built from
  length-sorted, per-epoch-shuffled data; the order is a pure function of
  (seed, epoch), so the data position is just (epoch, batch index).
* AdamW, inverse-square-root schedule with linear warmup, label smoothing 0.1,
  gradient clipping, and an exponential moving average (EMA) of the weights.
* The ``<pad>`` embedding row is the decoder start; CTranslate2 starts decoding
  from a zero vector, so the row is reset to zero after every optimizer step.
* ``$WORK/ckpt/last.pt`` (model, EMA, optimizer, scheduler, data position,
  RNG state) is written every ``--ckpt-minutes``, on SIGTERM/SIGINT, when the
  file ``$WORK/ckpt/STOP`` appears, and at the ``--until`` deadline or
  ``--max-minutes`` budget; a rerun
  resumes from it.  Progress goes to ``$WORK/ckpt/train.log`` (JSON lines).
"""
import argparse
import json
import math
import random
import signal
import time
from datetime import datetime, timezone

import torch
import torch.nn.functional as F
from transformers import MarianConfig, MarianMTModel

from common import CKPT, CORPUS, EOS_ID, PAD_ID, VOCAB_SIZE

MODEL_CONFIG = dict(
    vocab_size=VOCAB_SIZE,
    d_model=256,
    encoder_layers=6,
    decoder_layers=2,
    encoder_attention_heads=4,
    decoder_attention_heads=4,
    encoder_ffn_dim=1024,
    decoder_ffn_dim=1024,
    activation_function="swish",
    max_position_embeddings=256,
    dropout=0.1,
    attention_dropout=0.0,
    activation_dropout=0.0,
    scale_embedding=True,
    static_position_embeddings=True,
    normalize_before=False,
    share_encoder_decoder_embeddings=True,
    tie_word_embeddings=True,
    pad_token_id=PAD_ID,
    eos_token_id=EOS_ID,
    decoder_start_token_id=PAD_ID,
    forced_eos_token_id=EOS_ID,
)
MAX_LEN = 200  # tokens, per side, for training pairs


def build_model():
    model = MarianMTModel(MarianConfig(**MODEL_CONFIG))
    assert model.lm_head.weight.data_ptr() == model.model.shared.weight.data_ptr(), "embeddings not tied"
    with torch.no_grad():
        model.model.shared.weight[PAD_ID].zero_()
    return model


def load_split(name):
    return [(s, t) for s, t in torch.load(CORPUS / f"{name}.pt") if len(s) <= MAX_LEN and len(t) <= MAX_LEN]


def make_batches(pairs, batch_tokens, seed, epoch):
    """Length-bucketed batches for one epoch; deterministic in (seed, epoch)."""
    rng = random.Random(seed * 1000 + epoch)
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]) + rng.random() * 3, len(pairs[i][0])))
    batches, cur, longest = [], [], 0
    for i in order:
        longest_new = max(longest, len(pairs[i][0]), len(pairs[i][1]))
        if cur and longest_new * (len(cur) + 1) > batch_tokens:
            batches.append(cur)
            cur, longest_new = [], max(len(pairs[i][0]), len(pairs[i][1]))
        cur.append(i)
        longest = longest_new
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(pairs, idx):
    """Return encoder ids, attention mask, decoder inputs and labels for a batch."""
    src = [pairs[i][0].long() for i in idx]
    tgt = [pairs[i][1].long() for i in idx]
    s_len, t_len = max(map(len, src)), max(map(len, tgt))
    input_ids = torch.full((len(idx), s_len), PAD_ID)
    dec_in = torch.full((len(idx), t_len), PAD_ID)
    labels = torch.full((len(idx), t_len), -100)
    for k, (s, t) in enumerate(zip(src, tgt)):
        input_ids[k, : len(s)] = s
        labels[k, : len(t)] = t
        dec_in[k, 1 : len(t)] = t[:-1]
    return input_ids, (input_ids != PAD_ID).long(), dec_in, labels


def loss_fn(model, batch, smoothing):
    input_ids, mask, dec_in, labels = batch
    logits = model(input_ids=input_ids, attention_mask=mask, decoder_input_ids=dec_in).logits
    return F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100,
                           label_smoothing=smoothing, reduction="sum")


@torch.no_grad()
def dev_loss(model, dev, batch_tokens=4000):
    """Per-token cross-entropy (no smoothing) on the dev set."""
    model.eval()
    total, n = 0.0, 0
    for idx in make_batches(dev, batch_tokens, 0, 0):
        batch = collate(dev, idx)
        total += loss_fn(model, batch, 0.0).item()
        n += int((batch[3] != -100).sum())
    model.train()
    return total / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch-tokens", type=int, default=2000)
    ap.add_argument("--lr", type=float, default=7e-4)
    ap.add_argument("--warmup", type=int, default=600)
    ap.add_argument("--ema", type=float, default=0.995)
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--eval-every", type=int, default=500, help="dev evaluation interval (a multiple of --log-every)")
    ap.add_argument("--ckpt-minutes", type=float, default=5.0)
    ap.add_argument("--until", help="UTC deadline HH:MM (stop, checkpoint and exit)")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--max-minutes", type=float, default=0, help="budget of training-step time (excludes evaluation)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    CKPT.mkdir(parents=True, exist_ok=True)
    train, dev = load_split("train"), load_split("dev")
    model = build_model()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / args.warmup, math.sqrt(args.warmup / (s + 1))))
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
    state = dict(step=0, epoch=0, batch=0, seconds=0.0, tokens=0)
    last = CKPT / "last.pt"
    if last.exists():
        ck = torch.load(last, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        sched.load_state_dict(ck["scheduler"])
        ema, state = ck["ema"], ck["state"]
        torch.set_rng_state(ck["rng"])
        print("resumed", state, flush=True)
    log = open(CKPT / "train.log", "a")

    def save():
        tmp = CKPT / "last.pt.tmp"
        torch.save(dict(model=model.state_dict(), ema=ema, optimizer=opt.state_dict(), scheduler=sched.state_dict(),
                        state=state, rng=torch.get_rng_state(), args=vars(args), model_config=MODEL_CONFIG), tmp)
        tmp.replace(last)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append("signal"))
    signal.signal(signal.SIGINT, lambda *_: stop.append("signal"))
    deadline = None
    if args.until:
        hh, mm = map(int, args.until.split(":"))
        deadline = datetime.now(timezone.utc).replace(hour=hh, minute=mm, second=0).timestamp()
    pad_row = model.model.shared.weight
    t_ckpt = t_log = time.time()
    tok_since, loss_since = 0, 0.0
    while not stop:
        batches = make_batches(train, args.batch_tokens, args.seed, state["epoch"])
        while state["batch"] < len(batches) and not stop:
            t0 = time.time()
            batch = collate(train, batches[state["batch"]])
            ntok = int((batch[3] != -100).sum())
            loss = loss_fn(model, batch, args.smoothing)
            opt.zero_grad(set_to_none=True)
            (loss / ntok).backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            with torch.no_grad():
                pad_row[PAD_ID].zero_()
                decay = min(args.ema, (1 + state["step"]) / (10 + state["step"]))
                for k, v in model.state_dict().items():
                    if v.dtype.is_floating_point:
                        ema[k].mul_(decay).add_(v, alpha=1 - decay)
            state["step"] += 1
            state["batch"] += 1
            state["tokens"] += ntok
            state["seconds"] += time.time() - t0
            tok_since += ntok
            loss_since += loss.item()
            now = time.time()
            if state["step"] % args.log_every == 0:
                rec = dict(step=state["step"], epoch=round(state["epoch"] + state["batch"] / len(batches), 3),
                           train_loss=round(loss_since / tok_since, 4), tok_s=round(tok_since / (now - t_log)),
                           lr=round(sched.get_last_lr()[0], 6), train_minutes=round(state["seconds"] / 60, 1),
                           time=datetime.now(timezone.utc).strftime("%H:%M:%S"))
                if state["step"] % args.eval_every == 0:
                    rec["dev_loss"] = round(dev_loss(model, dev), 4)
                    raw = {k: v.clone() for k, v in model.state_dict().items()}
                    model.load_state_dict(ema)
                    rec["dev_loss_ema"] = round(dev_loss(model, dev), 4)
                    model.load_state_dict(raw)
                    rec["dev_ppl_ema"] = round(math.exp(rec["dev_loss_ema"]), 2)
                log.write(json.dumps(rec) + "\n")
                log.flush()
                print(json.dumps(rec), flush=True)
                tok_since, loss_since, t_log = 0, 0.0, time.time()
            if (CKPT / "STOP").exists():
                stop.append("STOP file")
            if deadline and now >= deadline:
                stop.append("deadline")
            if args.max_steps and state["step"] >= args.max_steps:
                stop.append("max steps")
            if args.max_minutes and state["seconds"] >= args.max_minutes * 60:
                stop.append("max minutes")
            if stop or now - t_ckpt > args.ckpt_minutes * 60:
                save()
                t_ckpt = time.time()
        if state["batch"] >= len(batches):
            state["epoch"] += 1
            state["batch"] = 0
    save()
    print("stopped:", stop[0], state, flush=True)


if __name__ == "__main__":
    main()
