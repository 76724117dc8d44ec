#!/usr/bin/python3
"""Scores GAN exports the way `./run.sh cli eval gan` does, without .NET: for choosing among the
exports of a training run on a machine that has PyTorch but not the app (a GPU box).

    python3 fd.py --encoder ResNet18.onnx --mean ResNetPreprocess.onnx --data .data/gan/demo \
        --exports 'run/gan-demo-128-s*.onnx'

Features: the CNTK ResNet18 the app loads (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18), its
global-average-pooled stage-4 output (512-d), on 224x224 BGR inputs minus the package's mean image;
images are centre squares at the generator's side, resized to 224 bilinearly (the app uses
ImageSharp's triangle filter, the same kernel, so figures agree closely but not to the digit: the
app's `eval gan` is the figure of record). Sets: the training split (sorted names, index % 6 != 5),
100 generated pictures from seeds 1,000,000... by the app's seed rule, 100 uniform-noise pictures
and the 100 held-out images; distances are Frechet distances to the training split, plus the
generated set's distance to the held-out split (a memorising generator scores well against its
training images only).

Needs numpy, scipy, pillow, onnx and onnxruntime (all on the GPU image; not on the app's machines).
"""
import argparse
import glob
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from PIL import Image
from scipy import linalg

from train import HOLDOUT_EVERY, latent_from_seed, list_images

FIRST_SAMPLE_SEED = 1_000_000


def mean_image(path):
    """The BGR CHW 3x224x224 mean image: the only initializer of ResNetPreprocess.onnx."""
    model = onnx.load(path)
    arrays = [numpy_helper.to_array(t) for t in model.graph.initializer]
    return next(a for a in arrays if a.size == 3 * 224 * 224).reshape(3, 224, 224).astype(np.float32)


class Features:
    def __init__(self, encoder, mean):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = os.cpu_count() or 4
        self.session = ort.InferenceSession(encoder, opts, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.output = self.session.get_outputs()[0].name
        self.mean = mean

    def __call__(self, images):
        out = []
        for im in images:
            rgb = np.asarray(im.convert("RGB").resize((224, 224), Image.BILINEAR), dtype=np.float32)
            bgr = rgb[:, :, ::-1].transpose(2, 0, 1) - self.mean
            out.append(self.session.run([self.output], {self.input: bgr[None].copy()})[0].reshape(-1))
        return np.stack(out).astype(np.float64)


def square(im, side):
    w, h = im.size
    s = min(w, h)
    im = im.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
    return im if s == side else im.resize((side, side), Image.LANCZOS)


def frechet(a, b):
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = linalg.sqrtm(s1 @ s2)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean.real))


def generate(path, count):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    z = np.stack([latent_from_seed(FIRST_SAMPLE_SEED + k) for k in range(count)])
    images = []
    for i in range(0, count, 16):
        out = session.run(["image"], {"z": z[i:i + 16]})[0]
        pixels = np.clip((out + 1) * 127.5, 0, 255).round().astype(np.uint8).transpose(0, 2, 3, 1)
        images += [Image.fromarray(p) for p in pixels]
    return images, out.shape[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", required=True)
    ap.add_argument("--mean", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--exports", required=True, help="glob of generator ONNX files")
    args = ap.parse_args()

    features = Features(args.encoder, mean_image(args.mean))
    paths = list_images(args.data)
    exports = sorted(glob.glob(args.exports), key=os.path.getmtime)
    side = generate(exports[0], 1)[1]
    images = [square(Image.open(os.path.join(args.data, p)), side) for p in paths]
    train = features([im for i, im in enumerate(images) if i % HOLDOUT_EVERY != HOLDOUT_EVERY - 1])
    held = features([im for i, im in enumerate(images) if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1])
    n = len(held)
    rng = np.random.default_rng(7)
    noise = features([Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)) for _ in range(n)])
    print(f"noise_fd={frechet(train, noise):.1f} heldout_fd={frechet(train, held):.1f} train={len(train)} samples={n} side={side}", flush=True)
    for path in exports:
        generated = features(generate(path, n)[0])
        print(f"{os.path.basename(path)} fd={frechet(train, generated):.1f} fd_vs_heldout={frechet(held, generated):.1f}", flush=True)


if __name__ == "__main__":
    main()
