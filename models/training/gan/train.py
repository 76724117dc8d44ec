#!/usr/bin/python3
"""DCGAN painter for ArtGallery's studio: trains on an image folder, exports the generator to ONNX.

    /usr/bin/python3 models/training/gan/train.py --data .data/gan/demo --out models --epochs 60

Any folder of images works (recursively: .png .jpg .jpeg .webp .bmp), e.g. the demo collection painted
by `./run.sh cli demo-images --out DIR --size 128`, or the images of an exported collection
(`./run.sh cli export --collection ID --format csv --out F --images DIR`).

Held-out split: files sorted by relative path; every HOLDOUT_EVERY-th (index % 6 == 5) is held out and
never trained on. `./run.sh cli eval gan` uses the same rule to compare generated images with the
training split and the held-out split with the training split.

Outputs: <out>/gan-<name>-<size>.onnx (input "z" float[N,100] ~ N(0,1); output "image" float[N,3,S,S]
in [-1, 1], RGB), <out>/gan-<name>-<size>.json (training facts for the manifest) and a parity fixture
(--fixture) with latents from the app's seed rule and this generator's outputs.
"""
import argparse
import copy
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HOLDOUT_EVERY = 6
NZ = 100
EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp")

# ---- the app's seed -> latent rule (mirrors GanLatents.FromSeed in C#) -------------------------
MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def latent_from_seed(seed, nz=NZ):
    """SplitMix64 from the seed, Box-Muller pairs: u1 = 1 - (x >> 11) / 2^53 in (0, 1], u2 = (y >> 11) / 2^53."""
    state = seed & MASK
    out = []
    while len(out) < nz:
        state, a = splitmix64(state)
        state, b = splitmix64(state)
        u1 = 1.0 - (a >> 11) * (1.0 / (1 << 53))
        u2 = (b >> 11) * (1.0 / (1 << 53))
        r = math.sqrt(-2.0 * math.log(u1))
        out.append(r * math.cos(2.0 * math.pi * u2))
        out.append(r * math.sin(2.0 * math.pi * u2))
    return np.asarray(out[:nz], dtype=np.float32)


# ---- data ----------------------------------------------------------------------------------------
def list_images(folder):
    paths = []
    for root, _, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(EXTENSIONS):
                paths.append(os.path.relpath(os.path.join(root, name), folder))
    paths.sort()
    return paths


def split(paths):
    train = [p for i, p in enumerate(paths) if i % HOLDOUT_EVERY != HOLDOUT_EVERY - 1]
    held = [p for i, p in enumerate(paths) if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1]
    return train, held


def load(folder, paths, size):
    """Centre square crop, Lanczos resize to size x size, RGB in [-1, 1], NCHW."""
    arrays = []
    for p in paths:
        try:
            with Image.open(os.path.join(folder, p)) as im:
                im = im.convert("RGB")
                w, h = im.size
                s = min(w, h)
                im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
                im = im.resize((size, size), Image.LANCZOS)
                arrays.append(np.asarray(im, dtype=np.float32) / 127.5 - 1.0)
        except OSError as e:
            print(f"skipping {p}: {e}")
    if not arrays:
        raise SystemExit(f"no readable images in {folder}")
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()


# ---- models --------------------------------------------------------------------------------------
class Generator(nn.Module):
    """DCGAN generator: z [N,100] -> 4x4 -> ... -> size x size, tanh."""

    def __init__(self, size, ngf):
        super().__init__()
        steps = int(math.log2(size)) - 2  # 64 -> 4 upsamplings after the 4x4 projection
        mult = 2 ** (steps - 1)
        layers = [nn.ConvTranspose2d(NZ, ngf * mult, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * mult), nn.ReLU(True)]
        for _ in range(steps - 1):
            layers += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * mult // 2), nn.ReLU(True)]
            mult //= 2
        layers += [nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z.reshape(z.shape[0], NZ, 1, 1))


class UpsampleGenerator(nn.Module):
    """Generator with nearest-neighbour upsampling + 3x3 convolutions instead of strided transposed
    convolutions (Odena et al. 2016): no checkerboard artifacts, fewer parameters per layer."""

    def __init__(self, size, ngf):
        super().__init__()
        steps = int(math.log2(size)) - 2
        mult = 2 ** (steps - 1)
        layers = [nn.ConvTranspose2d(NZ, ngf * mult, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * mult), nn.ReLU(True)]
        for _ in range(steps - 1):
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ngf * mult, ngf * mult // 2, 3, 1, 1, bias=False),
                       nn.BatchNorm2d(ngf * mult // 2), nn.ReLU(True)]
            mult //= 2
        layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ngf, 3, 3, 1, 1, bias=False), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z.reshape(z.shape[0], NZ, 1, 1))


class LightGenerator(nn.Module):
    """Generator for 128 px within the studio's latency budget (a grid of 16 costs about one encoder
    forward): a linear projection to 4x4, nearest upsampling + 3x3 convolutions whose width halves
    as the side doubles (ngf*8 at 4 and 8 px down to ngf at size/2), and a last 3x3 convolution to
    12 channels rearranged by a pixel shuffle into the full-size RGB image. The full-resolution
    layer is thus never convolved, which is where a plain generator spends most of its time."""

    def __init__(self, size, ngf):
        super().__init__()
        self.c0 = ngf * 8
        self.project = nn.Linear(NZ, self.c0 * 16, bias=False)
        self.bn0 = nn.BatchNorm1d(self.c0 * 16)
        layers = []
        side, width = 4, self.c0
        while side < size // 2:
            out = width if side == 4 else max(ngf, width // 2)
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(width, out, 3, 1, 1, bias=False),
                       nn.BatchNorm2d(out), nn.ReLU(True)]
            side, width = side * 2, out
        layers += [nn.Conv2d(width, 12, 3, 1, 1), nn.PixelShuffle(2), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        x = F.relu(self.bn0(self.project(z.reshape(z.shape[0], NZ))))
        return self.net(x.reshape(z.shape[0], self.c0, 4, 4))


def make_generator(arch, size, ngf):
    if arch == "light":
        return LightGenerator(size, ngf)
    return UpsampleGenerator(size, ngf) if arch == "upsample" else Generator(size, ngf)


class Discriminator(nn.Module):
    """DCGAN discriminator; with spectral_norm=True every convolution is spectrally normalised
    (Miyato et al. 2018) instead of batch-normalised, which keeps it from winning outright on a
    few hundred images."""

    def __init__(self, size, ndf, spectral_norm=False):
        super().__init__()
        sn = nn.utils.spectral_norm if spectral_norm else (lambda m: m)
        steps = int(math.log2(size)) - 2
        layers = [sn(nn.Conv2d(3, ndf, 4, 2, 1, bias=spectral_norm)), nn.LeakyReLU(0.2, True)]
        mult = 1
        for _ in range(steps - 1):
            layers.append(sn(nn.Conv2d(ndf * mult, ndf * mult * 2, 4, 2, 1, bias=spectral_norm)))
            if not spectral_norm:
                layers.append(nn.BatchNorm2d(ndf * mult * 2))
            layers.append(nn.LeakyReLU(0.2, True))
            mult *= 2
        layers += [sn(nn.Conv2d(ndf * mult, 1, 4, 1, 0, bias=False))]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x).reshape(-1)


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def diff_augment(x, policy):
    """DiffAugment (Zhao et al. 2020) colour and/or translation, applied to real and fake alike: the
    discriminator cannot memorise 500 images, and the generator is not taught the augmentations."""
    n, dev = x.shape[0], x.device
    if "color" in policy:
        x = x + (torch.rand(n, 1, 1, 1, device=dev) - 0.5)  # brightness
        mean = x.mean(dim=1, keepdim=True)
        x = (x - mean) * (torch.rand(n, 1, 1, 1, device=dev) * 2) + mean  # saturation
        mean = x.mean(dim=[1, 2, 3], keepdim=True)
        x = (x - mean) * (torch.rand(n, 1, 1, 1, device=dev) + 0.5) + mean  # contrast
    if "cutout" in policy:  # a zeroed square of half the side per image, at a random place
        side = x.shape[2]
        half = side // 2
        cy = torch.randint(0, side, (n, 1, 1), device=dev)
        cx = torch.randint(0, side, (n, 1, 1), device=dev)
        idx = torch.arange(side, device=dev)
        inside = ((idx[None, :, None] - cy).abs() < half // 2) & ((idx[None, None, :] - cx).abs() < half // 2)
        x = x * (~inside).unsqueeze(1).to(x.dtype)
    if "shift" in policy:  # cheap translation: one random shift for the whole batch, by slicing
        s = x.shape[2] // 8
        dx, dy = random.randint(0, 2 * s), random.randint(0, 2 * s)
        pad = F.pad(x, [s, s, s, s])
        return pad[:, :, dy:dy + x.shape[2], dx:dx + x.shape[3]]
    if "translation" not in policy:
        return x
    s = x.shape[2] // 8  # translation up to 1/8 of the side, zero padded
    pad = F.pad(x, [s, s, s, s])
    dx = torch.randint(0, 2 * s + 1, (n,), device=dev)
    dy = torch.randint(0, 2 * s + 1, (n,), device=dev)
    idx = torch.arange(x.shape[2], device=dev)
    rows = (idx[None, :] + dy[:, None])  # n, H
    cols = (idx[None, :] + dx[:, None])
    out = pad[torch.arange(n, device=dev)[:, None, None, None], torch.arange(3, device=dev)[None, :, None, None],
              rows[:, None, :, None], cols[:, None, None, :]]
    return out


@torch.no_grad()
def recalibrate_batchnorm(g, batches, batch, rng):
    """Running BN statistics of the EMA generator re-estimated as a plain average over many batches:
    the exported graph runs in eval mode, so one seed gives the same image in any batch."""
    for m in g.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_running_stats()
            m.momentum = None
    g.train()
    for _ in range(batches):
        g(torch.randn(batch, NZ, generator=rng))
    g.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="image folder (searched recursively)")
    ap.add_argument("--out", default="models", help="folder for the ONNX file and its facts")
    ap.add_argument("--name", default="demo", help="model name: gan-<name>-<size>.onnx")
    ap.add_argument("--size", type=int, default=64, choices=[32, 64, 128])
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps in total (0: run --epochs)")
    ap.add_argument("--max-seconds", type=float, default=0, help="stop (and export) after this much training time")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--ngf", type=int, default=32)
    ap.add_argument("--ndf", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--lr-d", type=float, default=0, help="discriminator learning rate (0: --lr)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda")
    ap.add_argument("--fixture", default="", help="parity fixture JSON to write (latents and outputs)")
    ap.add_argument("--samples", default="", help="PNG grid of 64 samples to write")
    ap.add_argument("--augment", default="color,translation", help="DiffAugment policy: color, translation, shift, cutout (comma separated), or none")
    ap.add_argument("--export-every", type=int, default=0, help="also export (ONNX, facts, fixture) every N epochs")
    ap.add_argument("--export-every-steps", type=int, default=0, help="also export every N steps (exports named -s<step>)")
    ap.add_argument("--arch", default="convt", choices=["convt", "upsample", "light"],
                    help="generator: transposed convs, nearest upsample + 3x3 conv, or light (pixel-shuffle output, for 128 px)")
    ap.add_argument("--sn", action="store_true", help="spectral normalisation in the discriminator instead of batch norm")
    ap.add_argument("--keep-exports", action="store_true", help="also keep each export (ONNX, facts, fixture) with an -e<epoch> or -s<step> suffix")
    ap.add_argument("--checkpoint", default="", help="torch checkpoint (.pt, not committed) written at every export")
    ap.add_argument("--resume", default="", help="checkpoint to continue from (weights, optimisers, step, epoch; --epochs counts in total)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else ("cpu" if args.device == "auto" else args.device))
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True

    paths = list_images(args.data)
    train_paths, held_paths = split(paths)
    data = load(args.data, train_paths, args.size).to(device)
    n = data.shape[0]
    print(f"images={len(paths)} train={n} heldout={len(held_paths)} size={args.size} device={device}", flush=True)

    g = make_generator(args.arch, args.size, args.ngf)
    d = Discriminator(args.size, args.ndf, spectral_norm=args.sn)
    g.apply(init_weights)
    d.apply(init_weights)
    ema = make_generator(args.arch, args.size, args.ngf)
    ema.load_state_dict(g.state_dict())
    ema.eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    g, d, ema = g.to(device), d.to(device), ema.to(device)
    opt_g = torch.optim.Adam(g.parameters(), lr=args.lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=args.lr_d or args.lr, betas=(0.5, 0.999))
    print(f"generator_params={sum(p.numel() for p in g.parameters())} discriminator_params={sum(p.numel() for p in d.parameters())}", flush=True)

    step, first_epoch, earlier_seconds = 0, 0, 0.0
    if args.resume:
        state = torch.load(args.resume, map_location=device)
        g.load_state_dict(state["g"])
        d.load_state_dict(state["d"])
        ema.load_state_dict(state["ema"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        step, first_epoch = state["step"], state["epoch"]
        earlier_seconds = state.get("train_seconds", 0.0)
        if "torch_rng" in state:
            # Checkpoints written before the RNG state was saved continue on a fresh stream: the
            # resumed run is then a valid continuation, not bit-identical to an uninterrupted one.
            torch.set_rng_state(state["torch_rng"].cpu())
        else:
            torch.manual_seed(args.seed + first_epoch)
        print(f"resumed {args.resume} at epoch={first_epoch} step={step} rng={'restored' if 'torch_rng' in state else 'fresh'}", flush=True)

    def save_checkpoint(epoch_done):
        if args.checkpoint:
            torch.save({"g": g.state_dict(), "d": d.state_dict(), "ema": ema.state_dict(), "opt_g": opt_g.state_dict(),
                        "opt_d": opt_d.state_dict(), "epoch": epoch_done, "step": step,
                        "train_seconds": time.time() - started, "torch_rng": torch.get_rng_state()}, args.checkpoint)

    ema_params, g_params = list(ema.parameters()), list(g.parameters())
    started = time.time() - earlier_seconds
    last_epochs = args.steps // max(1, n // args.batch) + 1 if args.steps else args.epochs
    epoch, done = first_epoch - 1, False
    for epoch in range(first_epoch, last_epochs):
        perm = torch.randperm(n, device=device)
        for i in range(0, n - args.batch + 1, args.batch):
            real = data[perm[i:i + args.batch]]
            flip = torch.rand(real.shape[0], device=device) < 0.5
            real = torch.where(flip[:, None, None, None], real.flip(3), real)
            z = torch.randn(real.shape[0], NZ, device=device)
            fake = g(z)

            opt_d.zero_grad(set_to_none=True)
            loss_d = F.softplus(-d(diff_augment(real, args.augment))).mean() + F.softplus(d(diff_augment(fake.detach(), args.augment))).mean()
            loss_d.backward()
            opt_d.step()

            opt_g.zero_grad(set_to_none=True)
            loss_g = F.softplus(-d(diff_augment(fake, args.augment))).mean()  # non-saturating loss
            loss_g.backward()
            opt_g.step()

            with torch.no_grad():
                decay = min(0.999, (1 + step) / (10 + step))
                torch._foreach_mul_(ema_params, decay)
                torch._foreach_add_(ema_params, g_params, alpha=1 - decay)
            step += 1
            if args.export_every_steps and step % args.export_every_steps == 0:
                print(f"step={step} epoch={epoch + 1} loss_d={loss_d.item():.3f} loss_g={loss_g.item():.3f} elapsed_s={time.time() - started:.0f}", flush=True)
                export(args, ema, epoch + 1, step, time.time() - started, len(paths), n, len(held_paths), suffix=f"-s{step}")
                save_checkpoint(epoch + 1)
            if (args.steps and step >= args.steps) or (args.max_seconds and time.time() - started >= args.max_seconds):
                done = True
                break
        if done:
            break
        if not args.export_every_steps:
            print(f"epoch={epoch + 1}/{args.epochs} step={step} loss_d={loss_d.item():.3f} loss_g={loss_g.item():.3f} elapsed_s={time.time() - started:.0f}", flush=True)
        if args.export_every and (epoch + 1) % args.export_every == 0 and epoch + 1 < args.epochs:
            export(args, ema, epoch + 1, step, time.time() - started, len(paths), n, len(held_paths), suffix=f"-e{epoch + 1}")
            save_checkpoint(epoch + 1)

    print(f"finished step={step} epoch={epoch + 1} elapsed_s={time.time() - started:.0f}", flush=True)
    export(args, ema, epoch + 1, step, time.time() - started, len(paths), n, len(held_paths), suffix=f"-s{step}" if args.export_every_steps else f"-e{epoch + 1}")


def onnx_export(model, example, path):
    """The TorchScript exporter (opset 13, as ONNX Runtime in the app reads it); newer PyTorch
    defaults to the dynamo exporter, which needs packages Debian does not ship."""
    kwargs = dict(input_names=["z"], output_names=["image"], dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, opset_version=13)
    try:
        torch.onnx.export(model, example, path, dynamo=False, **kwargs)
    except TypeError:  # PyTorch before 2.1 has no dynamo argument
        torch.onnx.export(model, example, path, **kwargs)


def export(args, ema_live, epochs, step, train_seconds, images, n, held, suffix=""):
    """Exports a CPU copy of the EMA generator: BN recalibrated with its own random stream, so exporting
    along the way (--export-every) leaves the training run exactly as it would be without, and the
    fixture's outputs come from the CPU in float32 (as ONNX Runtime computes them in the app)."""
    ema = copy.deepcopy(ema_live).cpu()
    rng = torch.Generator().manual_seed(args.seed + 1000)
    recalibrate_batchnorm(ema, 16, 32, rng)
    os.makedirs(args.out, exist_ok=True)
    stem = f"gan-{args.name}-{args.size}"
    onnx_path = os.path.join(args.out, stem + ".onnx")
    onnx_export(ema, torch.randn(2, NZ, generator=rng), onnx_path)
    print(f"exported {onnx_path} at epoch {epochs}", flush=True)
    if args.keep_exports:
        import shutil
        shutil.copyfile(onnx_path, os.path.join(args.out, f"{stem}{suffix}.onnx"))

    facts = {
        "data": os.path.abspath(args.data), "images": images, "train": n, "heldout": held,
        "size": args.size, "epochs": epochs, "steps": step, "batch": args.batch, "ngf": args.ngf, "ndf": args.ndf,
        "lr": args.lr, "lr_d": args.lr_d or args.lr, "sn": args.sn, "arch": args.arch, "seed": args.seed, "threads": args.threads, "augment": args.augment, "train_seconds": round(train_seconds, 1),
        "generator_params": sum(p.numel() for p in ema.parameters()),
    }
    with open(os.path.join(args.out, stem + ".json"), "w") as f:
        json.dump(facts, f, indent=2)
    if args.keep_exports:
        with open(os.path.join(args.out, f"{stem}{suffix}.json"), "w") as f:
            json.dump(facts, f, indent=2)

    if args.fixture:
        seeds = [0, 1, 42]
        z = torch.from_numpy(np.stack([latent_from_seed(s) for s in seeds]))
        with torch.no_grad():
            out = ema(z).numpy()
        fixture = {
            "model": stem + ".onnx", "seeds": seeds, "shape": list(out.shape),
            "latents": [[float(v) for v in row] for row in z.numpy()],
            "outputs": [[round(float(v), 6) for v in row.reshape(-1)] for row in out],
        }
        with open(args.fixture, "w") as f:
            json.dump(fixture, f)
        print(f"fixture {args.fixture}", flush=True)
        if args.keep_exports:
            import shutil
            root, ext = os.path.splitext(args.fixture)
            shutil.copyfile(args.fixture, f"{root}{suffix}{ext}")

    if args.samples:
        with torch.no_grad():
            # Seeds 1-64 by the app's seed rule: the sheet shows what the studio paints for them.
            s = ema(torch.from_numpy(np.stack([latent_from_seed(seed) for seed in range(1, 65)]))).clamp(-1, 1)
        grid = ((s + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
        k = args.size
        sheet = np.zeros((8 * k, 8 * k, 3), dtype=np.uint8)
        for j in range(64):
            sheet[(j // 8) * k:(j // 8 + 1) * k, (j % 8) * k:(j % 8 + 1) * k] = grid[j]
        Image.fromarray(sheet).save(args.samples)

if __name__ == "__main__":
    main()
