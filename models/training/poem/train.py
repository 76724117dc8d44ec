#!/usr/bin/env python3
"""Poem language model training recipe (PyTorch, CPU).

Trains a word-level LSTM with an adaptive softmax on the public-domain poetry corpus, conditioned on
keywords twice: as a prefix and as a keyword-bag vector (the mean of the keywords' input embeddings) that is
concatenated to every step's input and, through a learned 256x256 map, added to every step's output
features. Exports ONNX with the keyword ids as an input ("keywords", [batch, n], <pad> for none) and the
recurrent state as explicit inputs/outputs (the "logits" output is
the adaptive softmax's exact log-probabilities over the whole vocabulary), writes the vocabulary the C#
tokeniser reads and a parity fixture (synthetic token ids and this framework's outputs) for the C# test.

Needs Debian's python3-torch and python3-onnx, and libopenblas0-pthread: without it torch's libblas.so.3
is the reference BLAS, ~25x slower on a matrix product (models/training/poem/probe-log.txt).

    nice -n 10 /usr/bin/python3 models/training/poem/train.py \
        --data ../shared/data/poetry/poems.jsonl.gz --out models/poem-lstm.onnx \
        --vocab-out models/poem-vocab.txt \
        --fixture tests/ArtGallery.UnitTests/Poetry/Fixtures/poem-parity.json --minutes 38

(the defaults: 1x256 LSTM, adaptive softmax, batches of ~6,000 tokens, Adam 3e-3 with a cosine schedule
over the time budget, one thread). The shipped model was made in two runs: the prefix-only model of that
command (log models/training/poem/train-log.txt), then 20 minutes more with the keyword path, warm-started
from its checkpoint (new weights zero, so it starts from the prefix model's exact outputs; log
models/training/poem/train-kw-log.txt):

    nice -n 10 /usr/bin/python3 models/training/poem/train.py ... --init-from PREFIX_CHECKPOINT.pt \
        --lr 1e-3 --minutes 20

Tokenisation (mirrored by ArtGallery.Engines.Poetry.PoemVocabulary; keep the two in step):
lower-case; a word is [a-z]+ with inner apostrophes ([a-z]+('[a-z]+)*), punctuation is one of
. , ; : ! ? - and every other character is a separator; each non-empty line ends with <nl>; a run of
blank lines between lines is one <st> (stanza break). Words outside the vocabulary are <unk>.
A training sequence is  <bos> <kw> k1 .. kn </kw> body-tokens <eos>  where the keywords are none (15%),
the poem's 3-6 most frequent content words (45%) or a random 1-6 of them (40%), drawn afresh each epoch
(pick_keywords); the body is cut at --max-body tokens. Whole poems go in length-bucketed batches, each
from a zero state, as the engine and `eval poems` run them.

Split: a poem is held out when FNV-1a-32 of its decimal id, mod 100, is < 5 (same rule in C#).
"""
import argparse
import collections
import gzip
import json
import math
import os
import random
import re
import time

# One thread each for OpenBLAS and OpenMP unless told otherwise: on the shared 2-core machine (load 10-20
# from other builds) two OpenMP threads spent most of each LSTM time step waiting at barriers for a core
# (measured: 406 training tokens/s with 2 threads, 4,889 with 1; see the log's header and docs/literature.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
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
    """Embedding -> LSTM -> next-token scores. head "full": a tied softmax over the whole vocabulary;
    head "adaptive": an adaptive softmax (Grave et al. 2017) whose frequent words sit in a small head and
    rare words in clusters of reduced width, so a training token costs ~1/8 of a full 8k softmax. Either
    way the exported model returns one score row over the whole vocabulary (for "adaptive": its exact
    log-probabilities), which is all the C# engine reads."""

    def __init__(self, vocab, dim=256, layers=1, dropout=0.0, head="adaptive", cutoffs=(1000, 3000)):
        super().__init__()
        self.hidden, self.layers, self.head_kind = dim, layers, head
        self.embed = nn.Embedding(vocab, dim)
        # Keyword path: the bag (mean of the keywords' input embeddings, zero without keywords) is
        # concatenated to every step's input and, through kw_out, added to every step's output features,
        # so the keywords steer each step directly instead of only through a prefix read 5-160 steps back.
        self.lstm = nn.LSTM(2 * dim, dim, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.kw_out = nn.Linear(dim, dim, bias=False)
        self.drop = nn.Dropout(dropout)
        if head == "full":
            self.head = nn.Linear(dim, vocab)
            self.head.weight = self.embed.weight  # tied
        else:
            self.asm = nn.AdaptiveLogSoftmaxWithLoss(dim, vocab, list(cutoffs), div_value=4.0)

    def forward(self, tokens, keywords, h, c):
        y, h2, c2 = self.features(tokens, keywords, h, c)
        return self.scores(y), h2, c2

    def bag(self, keywords):
        """keywords [batch, k] token ids, <pad> (0) where there is none -> [batch, dim] mean embedding."""
        mask = (keywords != PAD).to(self.embed.weight.dtype).unsqueeze(-1)
        total = (self.embed(keywords) * mask).sum(dim=1)
        return total / mask.sum(dim=1).clamp(min=1.0)

    def features(self, tokens, keywords, h, c):
        b = self.bag(keywords)
        e = self.drop(self.embed(tokens))
        x = torch.cat([e, b.unsqueeze(1).expand(-1, e.shape[1], -1)], dim=-1)
        y, (h2, c2) = self.lstm(x, (h, c))
        return self.drop(y + self.kw_out(b).unsqueeze(1)), h2, c2

    def warm_start(self, state):
        """Loads a checkpoint; one of the prefix-only model (LSTM input width dim) gets zeros on the new
        keyword columns and kw_out, so training starts from that model's exact outputs."""
        own = self.state_dict()
        for k, v in state.items():
            if k.startswith("lstm.weight_ih") and v.shape != own[k].shape:
                w = torch.zeros_like(own[k])
                w[:, :v.shape[1]] = v
                v = w
            own[k] = v
        if "kw_out.weight" not in state:
            own["kw_out.weight"] = torch.zeros_like(own["kw_out.weight"])
        self.load_state_dict(own)

    def scores(self, y):
        if self.head_kind == "full":
            return self.head(y)
        # AdaptiveLogSoftmaxWithLoss.log_prob, written with cat (no in-place slices) so it exports to ONNX
        a = self.asm
        head = torch.log_softmax(a.head(y), dim=-1)
        parts = [head[..., :a.shortlist_size]]
        for i, tail in enumerate(a.tail):
            k = a.shortlist_size + i
            parts.append(torch.log_softmax(tail(y), dim=-1) + head[..., k:k + 1])
        return torch.cat(parts, dim=-1)

    def loss(self, feats, targets, reduction="mean"):
        """Mean (or summed) nll of the targets that are not -100; feats [n, dim], targets [n]."""
        mask = targets != -100
        f, t = feats[mask], targets[mask]
        if self.head_kind == "full":
            return nn.functional.cross_entropy(self.head(f), t, reduction=reduction)
        out = self.asm(f, t)
        return out.loss if reduction == "mean" else -out.output.sum()


def read_poems(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            yield p["id"], p["text"]


def encode(tokens, index):
    return [index.get(t, UNK) for t in tokens]


def keyword_tensor(kw_lists):
    """[batch, max(1, longest)] keyword ids padded with <pad>."""
    width = max(1, max(len(k) for k in kw_lists))
    t = torch.full((len(kw_lists), width), PAD, dtype=torch.long)
    for r, k in enumerate(kw_lists):
        if k:
            t[r, :len(k)] = torch.tensor(k)
    return t


def sequence(body_ids, kw_ids):
    return [BOS, KW] + kw_ids + [KW_END] + body_ids


def pick_keywords(words, top, rng):
    """15%: none (the unconditional prefix that `eval poems` scores perplexity with); 45%: the poem's 3-6
    most frequent content words (what `eval poems` and a work's keywords look like); else a random 1-6."""
    r = rng.random()
    if r < 0.15 or not words:
        return []
    if r < 0.60:
        return top[:rng.randint(3, 6)]
    return rng.sample(words, min(rng.randint(1, 6), len(words)))


def make_batches(poems, batch_tokens, rng, max_batch=256):
    """Length-bucketed batches of whole poems (zero state at <bos>, as the engine and `eval poems` run
    them), about batch_tokens tokens each, so short poems come in wide batches and padding stays small."""
    kws = [pick_keywords(words, top, rng) for body, words, top in poems]
    seqs = [sequence(body, kw) for (body, _, _), kw in zip(poems, kws)]
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]) + rng.random() * 6)
    groups, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * len(seqs[i]) > batch_tokens or len(cur) >= max_batch:
            groups.append(cur)
            cur = []
        cur.append(i)
    if cur:
        groups.append(cur)
    rng.shuffle(groups)
    for idx in groups:
        width = max(len(seqs[j]) for j in idx) - 1
        x = torch.full((len(idx), width), PAD, dtype=torch.long)
        y = torch.full((len(idx), width), -100, dtype=torch.long)
        for r, j in enumerate(idx):
            s = seqs[j]
            x[r, :len(s) - 1] = torch.tensor(s[:-1])
            prefix = s.index(KW_END)  # no loss on predicting the keywords themselves
            y[r, prefix:len(s) - 1] = torch.tensor(s[prefix + 1:])
        yield x, y, keyword_tensor([kws[j] for j in idx])


def mean_nll(model, poems, batch_tokens=8192):
    """Unconditional (empty keyword prefix) nll per body token, the figure `eval poems` compares."""
    model.eval()
    dev = next(model.parameters()).device
    total, count = 0.0, 0
    plain = [(body, [], []) for body, _, _ in poems]
    with torch.no_grad():
        for x, y, k in make_batches(plain, batch_tokens, random.Random(0)):
            x, y, k = x.to(dev), y.to(dev), k.to(dev)
            h = torch.zeros(model.layers, x.shape[0], model.hidden, device=dev)
            feats, _, _ = model.features(x, k, h, h.clone())
            total += model.loss(feats.reshape(-1, model.hidden), y.reshape(-1), reduction="sum").item()
            count += int((y != -100).sum())
    model.train()
    return total / max(count, 1)


def export(model, path):
    model.eval()
    kwargs = {}
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        kwargs["dynamo"] = False  # the TorchScript exporter, as torch 1.13 has
    tokens = torch.zeros(1, 1, dtype=torch.long)
    keywords = torch.tensor([[KW, KW_END]], dtype=torch.long)
    h = torch.zeros(model.layers, 1, model.hidden)
    torch.onnx.export(
        model, (tokens, keywords, h, h.clone()), path,
        input_names=["tokens", "keywords", "h", "c"], output_names=["logits", "h_out", "c_out"],
        dynamic_axes={"tokens": {0: "batch", 1: "steps"}, "keywords": {0: "batch", 1: "count"},
                      "h": {1: "batch"}, "c": {1: "batch"},
                      "logits": {0: "batch", 1: "steps"}, "h_out": {1: "batch"}, "c_out": {1: "batch"}},
        opset_version=14, **kwargs)


def write_fixture(model, path, vocab_size):
    """Synthetic token ids (a fixed arithmetic pattern, nothing from the corpus) and the outputs."""
    model.eval()
    tokens = [BOS, KW] + [(37 * i + 11) % vocab_size for i in range(1, 12)] + [KW_END, NL]
    keywords = [(53 * i + 101) % vocab_size for i in range(1, 5)] + [PAD]  # one <pad>: masked out
    with torch.no_grad():
        h = torch.zeros(model.layers, 1, model.hidden)
        logits, h2, c2 = model(torch.tensor([tokens]), torch.tensor([keywords]), h, h.clone())
    last = logits[0]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({
            "tokens": tokens, "keywords": keywords, "layers": model.layers, "hidden": model.hidden,
            "vocab": vocab_size,
            # the first 64 logits of every step plus each step's argmax keep the file small
            "logits_head": [[round(v, 5) for v in row[:64]] for row in last.tolist()],
            "argmax": [int(i) for i in last.argmax(dim=-1).tolist()],
            "h_out": [round(v, 6) for v in h2.flatten().tolist()],
            "c_out": [round(v, 6) for v in c2.flatten().tolist()],
        }, f)


def top_words(body, index):
    """The 6 most frequent content words the vocabulary has (ties: first used), like `eval poems`' keywords."""
    counts, first = collections.Counter(), {}
    for i, t in enumerate(body):
        if len(t) >= 3 and t[0].isalpha() and t not in STOPWORDS and t in index:
            counts[t] += 1
            first.setdefault(t, i)
    return [index[w] for w in sorted(counts, key=lambda w: (-counts[w], first[w]))[:6]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab-out", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--checkpoint", default=".data/poem/checkpoint.pt")
    ap.add_argument("--vocab", type=int, default=8000, help="words, besides the special tokens")
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.0, help="none by default: the CPU budget is a few epochs")
    ap.add_argument("--head", choices=["adaptive", "full"], default="adaptive")
    ap.add_argument("--max-body", type=int, default=160)
    ap.add_argument("--batch-tokens", type=int, default=6000, help="tokens (incl. padding) a batch, about")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=50, help="steps of linear lr warm-up")
    ap.add_argument("--minutes", type=float, default=40.0, help="training time budget (a cap)")
    ap.add_argument("--epochs", type=int, default=0, help="if set, the lr schedule follows steps over this many epochs")
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (1: see the note at the imports)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda where a GPU is lent")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--export-from", default="", help="only export this checkpoint (same vocabulary and sizes)")
    ap.add_argument("--init-from", default="", help="warm start from a prefix-only checkpoint (same vocabulary, sizes)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
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
            out.append((ids, kw, top_words(body, index)))
        return out

    train = prepare(train_raw)
    monitor, fit = train[::50], [p for i, p in enumerate(train) if i % 50 != 0]
    fit_tokens = sum(len(b) for b, _, _ in fit)
    print(f"fit {len(fit)} poems, {fit_tokens:,} body tokens; monitor {len(monitor)}; "
          f"prep {time.time() - t_start:.0f} s", flush=True)

    model = PoemLstm(len(itos), args.dim, args.layers, args.dropout, args.head).to(args.device)
    if args.export_from:
        model.load_state_dict(torch.load(args.export_from, map_location="cpu"))
        model.cpu()
        export(model, args.out)
        write_fixture(model, args.fixture, len(itos))
        print(f"exported {args.export_from} to {args.out} and {args.fixture}", flush=True)
        return
    if args.init_from:
        model.warm_start(torch.load(args.init_from, map_location="cpu"))
        mon = mean_nll(model, monitor)
        print(f"warm start from {args.init_from}: monitor nll {mon:.4f} (ppl {math.exp(mon):.1f})", flush=True)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}; {args.layers}x{args.dim} LSTM, "
          f"{args.head} softmax; threads {torch.get_num_threads()}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    budget = args.minutes * 60
    total_steps = args.epochs * sum(1 for _ in make_batches(fit, args.batch_tokens, random.Random(0))) if args.epochs else 0
    start = time.time()
    step, tokens_seen, epoch, done = 0, 0, 0, False
    window_t, window_tokens, window_loss, window_n = time.time(), 0, 0.0, 0
    while not done:
        epoch += 1
        for x, y, k in make_batches(fit, args.batch_tokens, rng):
            # The schedule follows whichever ends first: the epochs asked for or the time budget.
            frac = min(max(step / total_steps if total_steps else 0.0, (time.time() - start) / budget), 1.0)
            x, y, k = x.to(args.device), y.to(args.device), k.to(args.device)
            lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac))) * min(1.0, (step + 1) / args.warmup)
            for g in opt.param_groups:
                g["lr"] = lr
            h = torch.zeros(args.layers, x.shape[0], args.dim, device=args.device)
            feats, _, _ = model.features(x, k, h, h.clone())
            loss = model.loss(feats.reshape(-1, args.dim), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            n_tok = int((y != -100).sum())
            tokens_seen += n_tok
            window_tokens += n_tok
            window_loss += loss.item() * n_tok
            window_n += 1
            if step % args.log_every == 0:
                now = time.time()
                print(f"step {step} epoch {epoch} loss {window_loss / window_tokens:.3f} lr {lr:.5f} "
                      f"{window_n / (now - window_t):.2f} steps/s {window_tokens / (now - window_t):.0f} tok/s "
                      f"epochs {tokens_seen / fit_tokens:.2f} elapsed {(now - start) / 60:.1f} min", flush=True)
                window_t, window_tokens, window_loss, window_n = now, 0, 0.0, 0
            if step % 500 == 0:
                torch.save(model.state_dict(), args.checkpoint)
            if time.time() - start > budget or (total_steps and step >= total_steps):
                done = True
                break
        if not done:
            mon = mean_nll(model, monitor)
            print(f"epoch {epoch} done; monitor nll {mon:.4f} (ppl {math.exp(mon):.1f})", flush=True)
    elapsed = time.time() - start
    torch.save(model.state_dict(), args.checkpoint)
    mon = mean_nll(model, monitor)
    print(f"trained {step} steps ({tokens_seen:,} target tokens, {tokens_seen / fit_tokens:.2f} epochs) in "
          f"{elapsed / 60:.1f} min, {tokens_seen / elapsed:.0f} tok/s; monitor nll {mon:.4f} "
          f"(ppl {math.exp(mon):.1f}, unconditional)", flush=True)
    model.cpu()
    export(model, args.out)
    write_fixture(model, args.fixture, len(itos))
    print(f"wrote {args.out}, {args.vocab_out} and {args.fixture}; total wall {(time.time() - t_start) / 60:.1f} min",
          flush=True)


if __name__ == "__main__":
    main()
