#!/usr/bin/env python3
"""Melody RNN training recipe (PyTorch, CPU).

Reads the events file written by `./run.sh cli music encode --data DIR --out FILE` (the C# encoding
is the only one: 0 hold, 1 rest, 2+ note-on for MIDI pitch 48..83), trains an LSTM on the tunes
marked `train`, exports ONNX with the recurrent state as explicit inputs/outputs, and writes a parity
fixture (synthetic inputs, not corpus data, and this framework's outputs) for the C# test.

    ./run.sh cli music encode --data ../shared/data/midi/nottingham --out .data/melody/nottingham.events
    /usr/bin/python3 models/training/melody/train.py --events .data/melody/nottingham.events \
        --out models/melody-lstm.onnx --fixture tests/ArtGallery.UnitTests/Studio/Fixtures/melody-parity.json

Model input at step t: the event at t and the position in the bar of step t+1 (the step it
predicts); output: logits over the next event.
"""
import argparse
import json
import math
import random
import time

import torch
import torch.nn as nn

VOCAB = 38
POSITIONS = 32
FIRST_NOTE_ON = 2


class MelodyLstm(nn.Module):
    def __init__(self, hidden=256, layers=2, dropout=0.2):
        super().__init__()
        self.hidden, self.layers = hidden, layers
        self.events = nn.Embedding(VOCAB, 64)
        self.positions = nn.Embedding(POSITIONS, 16)
        self.lstm = nn.LSTM(80, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.head = nn.Linear(hidden, VOCAB)

    def forward(self, events, positions, h, c):
        x = torch.cat([self.events(events), self.positions(positions)], dim=-1)
        y, (h2, c2) = self.lstm(x, (h, c))
        return self.head(y), h2, c2


def read_events(path):
    tunes = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, split, spb, events = line.rstrip("\n").split("\t")
            tunes.append((name, split, int(spb), [int(e) for e in events.split()]))
    return tunes


def positions_for(length, spb, start=0):
    # position of the step each input predicts: (t + 1) mod bar
    return [((start + i + 1) % spb) % POSITIONS for i in range(length)]


def transpose(events, shift):
    out = []
    for e in events:
        if e >= FIRST_NOTE_ON:
            e += shift
            if e < FIRST_NOTE_ON or e >= VOCAB:
                return None
        out.append(e)
    return out


def make_batches(tunes, chunk, batch, augment, rng):
    xs, ps, ys = [], [], []
    for _, _, spb, events in tunes:
        if augment:
            shift = rng.randint(-5, 6)
            moved = transpose(events, shift)
            events = moved if moved is not None else events
        offset = rng.randrange(0, chunk) if augment and len(events) > chunk + 1 else 0
        for s in range(offset, len(events) - 1, chunk):
            seq = events[s:s + chunk + 1]
            if len(seq) < 17:
                continue
            n = len(seq) - 1
            pad = chunk - n
            xs.append(seq[:-1] + [0] * pad)
            ps.append(positions_for(n, spb, s) + [0] * pad)
            ys.append(seq[1:] + [-100] * pad)
    order = list(range(len(xs)))
    rng.shuffle(order)
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        yield (torch.tensor([xs[j] for j in idx]), torch.tensor([ps[j] for j in idx]), torch.tensor([ys[j] for j in idx]))


def mean_nll(model, tunes):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for _, _, spb, events in tunes:
            x = torch.tensor([events[:-1]])
            p = torch.tensor([positions_for(len(events) - 1, spb)])
            h = torch.zeros(model.layers, 1, model.hidden)
            logits, _, _ = model(x, p, h, h.clone())
            loss = nn.functional.cross_entropy(logits[0], torch.tensor(events[1:]), reduction="sum")
            total += loss.item()
            count += len(events) - 1
    model.train()
    return total / max(count, 1)


def export(model, path):
    model.eval()
    events = torch.zeros(1, 1, dtype=torch.long)
    positions = torch.zeros(1, 1, dtype=torch.long)
    h = torch.zeros(model.layers, 1, model.hidden)
    torch.onnx.export(
        model, (events, positions, h, h.clone()), path,
        input_names=["events", "positions", "h", "c"], output_names=["logits", "h_out", "c_out"],
        dynamic_axes={"events": {0: "batch", 1: "steps"}, "positions": {0: "batch", 1: "steps"},
                      "h": {1: "batch"}, "c": {1: "batch"}, "logits": {0: "batch", 1: "steps"},
                      "h_out": {1: "batch"}, "c_out": {1: "batch"}},
        opset_version=14)


def write_fixture(model, path):
    """Synthetic inputs (a scale and arpeggio pattern, nothing from the corpus) and the outputs."""
    model.eval()
    events, positions = [], []
    pitches = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60, 55]
    for i, pitch in enumerate(pitches):
        events += [pitch - 48 + FIRST_NOTE_ON, 0] if i % 3 else [pitch - 48 + FIRST_NOTE_ON, 0, 0, 1]
    positions = positions_for(len(events), 16)
    with torch.no_grad():
        h = torch.zeros(model.layers, 1, model.hidden)
        logits, h2, c2 = model(torch.tensor([events]), torch.tensor([positions]), h, h.clone())
    with open(path, "w", encoding="utf-8") as f:
        json.dump({
            "events": events, "positions": positions, "layers": model.layers, "hidden": model.hidden,
            "logits": [[round(v, 6) for v in row] for row in logits[0].tolist()],
            "h_out": [round(v, 6) for v in h2.flatten().tolist()],
            "c_out": [round(v, 6) for v in c2.flatten().tolist()],
        }, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--minutes", type=float, default=24.0, help="stop after the epoch that passes this budget")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=128)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tunes = read_events(args.events)
    train = [t for t in tunes if t[1] == "train"]
    heldout = [t for t in tunes if t[1] == "heldout"]
    # Early-stopping/monitoring uses train tunes only; the held-out split is for `eval music`.
    monitor = train[::20]
    fit = [t for i, t in enumerate(train) if i % 20 != 0]
    print(f"tunes: fit {len(fit)}, monitor {len(monitor)}, held-out {len(heldout)} (not used for training)", flush=True)

    model = MelodyLstm(args.hidden, args.layers)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    start = time.time()
    best, best_state, epochs_run = math.inf, None, 0
    for epoch in range(args.epochs):
        t0, total, n = time.time(), 0.0, 0
        for x, p, y in make_batches(fit, args.chunk, args.batch, True, rng):
            h = torch.zeros(args.layers, x.shape[0], args.hidden)
            logits, _, _ = model(x, p, h, h.clone())
            loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += loss.item()
            n += 1
        sched.step()
        epochs_run = epoch + 1
        val = mean_nll(model, monitor)
        if val < best:
            best, best_state = val, {k: v.clone() for k, v in model.state_dict().items()}
        print(f"epoch {epoch + 1}: train {total / max(n, 1):.4f} monitor {val:.4f} ({time.time() - t0:.0f} s)", flush=True)
        if (time.time() - start) / 60 > args.minutes:
            print("time budget reached", flush=True)
            break
    model.load_state_dict(best_state)
    elapsed = time.time() - start
    print(f"trained {epochs_run} epochs in {elapsed / 60:.1f} min; best monitor nll {best:.4f}; held-out nll {mean_nll(model, heldout):.4f}", flush=True)
    export(model, args.out)
    write_fixture(model, args.fixture)
    print(f"wrote {args.out} and {args.fixture}", flush=True)


if __name__ == "__main__":
    main()
