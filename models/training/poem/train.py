#!/usr/bin/env python3
"""Poem language model training recipe (PyTorch, CPU).

Trains a word-level 2-layer LSTM (tied embeddings) on the public-domain poetry corpus, conditioned on
a keyword prefix, exports ONNX with the recurrent state as explicit inputs/outputs, writes the
vocabulary the C# tokeniser reads and a parity fixture (synthetic token ids and this framework's
outputs) for the C# test.

    /usr/bin/python3 models/training/poem/train.py \
        --data ../shared/data/poetry/poems.jsonl.gz --out models/poem-lstm.onnx \
        --vocab-out models/poem-vocab.txt \
        --fixture tests/ArtGallery.UnitTests/Poetry/Fixtures/poem-parity.json --batch 16 --minutes 28

(the command that made the shipped, under-trained model; docs/literature.md has the GPU command).

Tokenisation (mirrored by ArtGallery.Engines.Poetry.PoemVocabulary; keep the two in step):
lower-case; a word is [a-z]+ with inner apostrophes ([a-z]+('[a-z]+)*), punctuation is one of
. , ; : ! ? - and every other character is a separator; each non-empty line ends with <nl>; a run of
blank lines between lines is one <st> (stanza break). Words outside the vocabulary are <unk>.
A training sequence is  <bos> <kw> k1 .. kn </kw> body-tokens <eos>  where the keywords are a
random subset (0..6) of the poem's own content words; the body is cut at --max-body tokens.

Split: a poem is held out when FNV-1a-32 of its decimal id, mod 100, is < 5 (same rule in C#).
"""
import argparse
import collections
import gzip
import json
import math
import random
import re
import time

import torch
import torch.nn as nn

SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>", "<nl>", "<st>", "<kw>", "</kw>"]
PAD, UNK, BOS, EOS, NL, ST, KW, KW_END = range(len(SPECIALS))
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|[.,;:!?\-]")
STOPWORDS = set("""a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own same
she should so some such than that the their theirs them themselves then there these they this those
through to too under until up upon very was we were what when where which while who whom why will with
would you your yours yourself thou thee thy thine ye hath doth shall may might must let yet o oh ah
shalt wilt art one every still nor ere'er e'er till unto thus th' tis 'tis lo like""".split())


def held_out(poem_id):
    h = 0x811C9DC5
    for b in str(poem_id).encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % 100 < 5


def tokenize(text):
    out, blank = [], False
    for line in text.lower().split("\n"):
        toks = TOKEN.findall(line)
        if not toks:
            blank = bool(out)
            continue
        if blank:
            out.append("<st>")
            blank = False
        out.extend(toks)
        out.append("<nl>")
    return out


def content_words(tokens):
    seen = []
    for t in tokens:
        if len(t) >= 3 and t[0].isalpha() and t not in STOPWORDS and t not in seen:
            seen.append(t)
    return seen


class PoemLstm(nn.Module):
    def __init__(self, vocab, dim=256, layers=2, dropout=0.1):
        super().__init__()
        self.hidden, self.layers = dim, layers
        self.embed = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, dim, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(dim, vocab)
        self.head.weight = self.embed.weight  # tied

    def forward(self, tokens, h, c):
        y, h2, c2 = self.features(tokens, h, c)
        return self.head(y), h2, c2

    def features(self, tokens, h, c):
        y, (h2, c2) = self.lstm(self.drop(self.embed(tokens)), (h, c))
        return self.drop(y), h2, c2


def read_poems(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            yield p["id"], p["text"]


def encode(tokens, index):
    return [index.get(t, UNK) for t in tokens]


def sequence(body_ids, kw_ids):
    return [BOS, KW] + kw_ids + [KW_END] + body_ids


def sampled_softmax_loss(model, hidden, targets, q, negatives):
    """Sampled softmax (Jean et al. 2015): the true word against `negatives` words drawn from q (unigram^0.75)
    with the log of each one's expected count subtracted, so the training cost of the 8k-word output layer
    drops to ~1k words a step on a CPU; the exported model keeps the full softmax."""
    mask = targets != -100
    h, y = hidden[mask], targets[mask]
    neg = torch.multinomial(q, negatives, replacement=True)
    log_expected = torch.log(q * negatives)
    w, b = model.head.weight, model.head.bias
    true_logit = (h * w[y]).sum(-1) + b[y] - log_expected[y]
    neg_logit = h @ w[neg].t() + b[neg] - log_expected[neg]
    neg_logit = neg_logit.masked_fill(neg.unsqueeze(0) == y.unsqueeze(1), float("-inf"))  # accidental hits
    logits = torch.cat([true_logit.unsqueeze(1), neg_logit], dim=1)
    return nn.functional.cross_entropy(logits, torch.zeros(len(y), dtype=torch.long, device=logits.device))


def make_batches(poems, batch, rng):
    """poems: list of (body ids incl. eos-or-not, content word ids). Length-bucketed batches."""
    seqs = []
    for body, words in poems:
        k = 0 if rng.random() < 0.15 else rng.randint(1, 6)
        kws = rng.sample(words, min(k, len(words)))
        seqs.append(sequence(body, kws))
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]) + rng.random() * 8)
    groups = [order[i:i + batch] for i in range(0, len(order), batch)]
    rng.shuffle(groups)
    for idx in groups:
        width = max(len(seqs[j]) for j in idx) - 1
        xs, ys = [], []
        for j in idx:
            s = seqs[j]
            pad = width - (len(s) - 1)
            xs.append(s[:-1] + [PAD] * pad)
            prefix = s.index(KW_END)  # no loss on predicting the keywords themselves
            ys.append([-100] * prefix + s[prefix + 1:] + [-100] * pad)
        yield torch.tensor(xs), torch.tensor(ys)


def mean_nll(model, poems):
    """Unconditional (empty keyword prefix) nll per body token, the figure `eval poems` compares."""
    model.eval()
    dev = next(model.parameters()).device
    total, count = 0.0, 0
    with torch.no_grad():
        for body, _ in poems:
            s = sequence(body, [])
            h = torch.zeros(model.layers, 1, model.hidden, device=dev)
            logits, _, _ = model(torch.tensor([s[:-1]], device=dev), h, h.clone())
            y = torch.tensor(s[1:], device=dev)
            loss = nn.functional.cross_entropy(logits[0][2:], y[2:], reduction="sum")
            total += loss.item()
            count += len(s) - 3
    model.train()
    return total / max(count, 1)


def export(model, path):
    model.eval()
    kwargs = {}
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        kwargs["dynamo"] = False  # the TorchScript exporter, as torch 1.13 has
    tokens = torch.zeros(1, 1, dtype=torch.long)
    h = torch.zeros(model.layers, 1, model.hidden)
    torch.onnx.export(
        model, (tokens, h, h.clone()), path,
        input_names=["tokens", "h", "c"], output_names=["logits", "h_out", "c_out"],
        dynamic_axes={"tokens": {0: "batch", 1: "steps"}, "h": {1: "batch"}, "c": {1: "batch"},
                      "logits": {0: "batch", 1: "steps"}, "h_out": {1: "batch"}, "c_out": {1: "batch"}},
        opset_version=14, **kwargs)


def write_fixture(model, path, vocab_size):
    """Synthetic token ids (a fixed arithmetic pattern, nothing from the corpus) and the outputs."""
    model.eval()
    tokens = [BOS, KW] + [(37 * i + 11) % vocab_size for i in range(1, 12)] + [KW_END, NL]
    with torch.no_grad():
        h = torch.zeros(model.layers, 1, model.hidden)
        logits, h2, c2 = model(torch.tensor([tokens]), h, h.clone())
    last = logits[0]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({
            "tokens": tokens, "layers": model.layers, "hidden": model.hidden, "vocab": vocab_size,
            # the first 64 logits of every step plus each step's argmax keep the file small
            "logits_head": [[round(v, 5) for v in row[:64]] for row in last.tolist()],
            "argmax": [int(i) for i in last.argmax(dim=-1).tolist()],
            "h_out": [round(v, 6) for v in h2.flatten().tolist()],
            "c_out": [round(v, 6) for v in c2.flatten().tolist()],
        }, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab-out", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--checkpoint", default=".data/poem/checkpoint.pt")
    ap.add_argument("--vocab", type=int, default=8000, help="words, besides the special tokens")
    ap.add_argument("--dim", type=int, default=160)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.0, help="none by default: the CPU budget is under one epoch")
    ap.add_argument("--max-body", type=int, default=160)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-3)
    ap.add_argument("--warmup", type=int, default=10, help="steps of linear lr warm-up")
    ap.add_argument("--minutes", type=float, default=45.0, help="training time budget (a cap)")
    ap.add_argument("--epochs", type=int, default=0, help="if set, the lr schedule follows steps over this many epochs")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda where a GPU is lent")
    ap.add_argument("--negatives", type=int, default=1024, help="sampled-softmax negatives a step (0: full softmax)")
    ap.add_argument("--export-from", default="", help="only export this checkpoint (same vocabulary and sizes)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()
    train_raw, heldout_raw = [], []
    for pid, text in read_poems(args.data):
        (heldout_raw if held_out(pid) else train_raw).append(tokenize(text))
    counts = collections.Counter(t for toks in train_raw for t in toks if t not in ("<nl>", "<st>"))
    words = [w for w, _ in counts.most_common(args.vocab)]
    itos = SPECIALS + words
    index = {t: i for i, t in enumerate(itos)}
    with open(args.vocab_out, "w", encoding="utf-8") as f:
        f.write("\n".join(itos) + "\n")
    total = sum(counts.values())
    covered = sum(counts[w] for w in words)
    print(f"poems: train {len(train_raw)}, held-out {len(heldout_raw)}; vocab {len(itos)} "
          f"(covers {covered / total:.3f} of train word tokens)", flush=True)

    def prepare(raw):
        out = []
        for toks in raw:
            body = toks[:args.max_body]
            ids = encode(body, index) + ([EOS] if len(toks) <= args.max_body else [])
            kw = [index[w] for w in content_words(body) if w in index]
            out.append((ids, kw))
        return out

    train, heldout = prepare(train_raw), prepare(heldout_raw)
    monitor, fit = train[::50], [p for i, p in enumerate(train) if i % 50 != 0]
    print(f"fit {len(fit)} poems, {sum(len(b) for b, _ in fit):,} body tokens; monitor {len(monitor)}; "
          f"prep {time.time() - t_start:.0f} s", flush=True)

    model = PoemLstm(len(itos), args.dim, args.layers, args.dropout).to(args.device)
    unigram = torch.zeros(len(itos))
    for body, _ in fit:
        unigram += torch.bincount(torch.tensor(body), minlength=len(itos)).float()
    unigram[EOS] += len(fit)
    q = (unigram + 1) ** 0.75
    q = (q / q.sum()).to(args.device)
    if args.export_from:
        model.load_state_dict(torch.load(args.export_from, map_location="cpu"))
        model.cpu()
        export(model, args.out)
        write_fixture(model, args.fixture, len(itos))
        print(f"exported {args.export_from} to {args.out} and {args.fixture}", flush=True)
        return
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    budget = args.minutes * 60
    total_steps = args.epochs * math.ceil(len(fit) / args.batch)
    start = time.time()
    step, tokens_seen, epoch, done = 0, 0, 0, False
    window_t, window_tokens, window_loss, window_n = time.time(), 0, 0.0, 0
    while not done:
        epoch += 1
        for x, y in make_batches(fit, args.batch, rng):
            # The schedule follows whichever ends first: the epochs asked for or the time budget.
            frac = min(max(step / total_steps if total_steps else 0.0, (time.time() - start) / budget), 1.0)
            x, y = x.to(args.device), y.to(args.device)
            lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac))) * min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            h = torch.zeros(args.layers, x.shape[0], args.dim, device=args.device)
            if args.negatives > 0:
                feats, _, _ = model.features(x, h, h.clone())
                loss = sampled_softmax_loss(model, feats.reshape(-1, args.dim), y.reshape(-1), q, args.negatives)
            else:
                logits, _, _ = model(x, h, h.clone())
                loss = nn.functional.cross_entropy(logits.reshape(-1, len(itos)), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            n_tok = int((y != -100).sum())
            tokens_seen += n_tok
            window_tokens += n_tok
            window_loss += loss.item()
            window_n += 1
            if step % 25 == 0:
                now = time.time()
                print(f"step {step} epoch {epoch} loss {window_loss / window_n:.3f} lr {lr:.5f} "
                      f"{window_n / (now - window_t):.3f} steps/s {window_tokens / (now - window_t):.0f} tok/s "
                      f"elapsed {(now - start) / 60:.1f} min", flush=True)
                window_t, window_tokens, window_loss, window_n = now, 0, 0.0, 0
            if step % 50 == 0:
                torch.save(model.state_dict(), args.checkpoint)
            if time.time() - start > budget or (total_steps and step >= total_steps):
                done = True
                break
        if not done:
            print(f"epoch {epoch} done; monitor nll {mean_nll(model, monitor):.4f}", flush=True)
    elapsed = time.time() - start
    torch.save(model.state_dict(), args.checkpoint)
    mon = mean_nll(model, monitor)
    print(f"trained {step} steps ({tokens_seen:,} target tokens, {epoch} epochs begun) in {elapsed / 60:.1f} min; "
          f"monitor nll {mon:.4f} (ppl {math.exp(mon):.1f}, unconditional)", flush=True)
    model.cpu()
    export(model, args.out)
    write_fixture(model, args.fixture, len(itos))
    print(f"wrote {args.out}, {args.vocab_out} and {args.fixture}; total wall {(time.time() - t_start) / 60:.1f} min",
          flush=True)


if __name__ == "__main__":
    main()
