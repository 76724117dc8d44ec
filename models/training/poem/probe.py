#!/usr/bin/env python3
"""Training-throughput probe for the poem recipe: ~40 s of training steps a configuration on the first 3,000
poems, printing training tokens per second (what train.py's log prints). Run from the repository root:

    THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 models/training/poem/probe.py \
        adaptive:256:6000 full:256:6000 adaptive:384:6000

Each argument is head:width:batch-tokens. Figures measured with it are in models/training/poem/probe-log.txt.
"""
import sys, time, random, itertools, collections, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch, torch.nn as nn
import train as T
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
raw = [T.tokenize(t) for _, t in itertools.islice(T.read_poems("../shared/data/poetry/poems.jsonl.gz"), 3000)]
counts = collections.Counter(t for toks in raw for t in toks)
itos = T.SPECIALS + [w for w, _ in counts.most_common(8000)]
itos += [f"x{i}" for i in range(8008 - len(itos))]
index = {t: i for i, t in enumerate(itos)}
poems = [(T.encode(b[:160], index), [index[w] for w in T.content_words(b[:160]) if w in index], T.top_words(b[:160], index)) for b in raw]
for cfg in sys.argv[1:]:
    head, dim, bt = cfg.split(":"); dim, bt = int(dim), int(bt)
    m = T.PoemLstm(len(itos), dim, 1, 0.0, head)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    t0 = time.time(); ntok = 0; steps = 0
    for x, y in T.make_batches(poems, bt, random.Random(1)):
        h = torch.zeros(1, x.shape[0], dim)
        f, _, _ = m.features(x, h, h.clone())
        loss = m.loss(f.reshape(-1, dim), y.reshape(-1))
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
        ntok += int((y != -100).sum()); steps += 1
        if time.time() - t0 > 40: break
    print(cfg, f"{ntok/(time.time()-t0):.0f} tok/s, {steps} steps, loss {loss.item():.2f}", flush=True)
