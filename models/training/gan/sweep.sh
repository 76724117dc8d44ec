#!/usr/bin/env bash
# Trains several variants of the 128-px recipe side by side on one GPU for a fixed time, scores
# every export with fd.py (the features `eval gan` uses) and packs each variant's best exports.
#
#   models/training/gan/sweep.sh DATA OUT SECONDS ENCODER.onnx MEAN.onnx
#
# DATA: `./run.sh cli demo-images --out DATA --size 128`. OUT/<variant>/ gets the training log,
# fd.txt and every export; OUT/<variant>.tar.gz the two best exports with their facts and parity
# fixtures. The app's `./run.sh cli eval gan` on the chosen file is the figure of record.
set -u
data=$(realpath "$1") out=$(realpath -m "$2") secs=$3 encoder=$(realpath "$4") mean=$(realpath "$5")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

variant() {
  local name=$1; shift
  mkdir -p "$out/$name"
  python3 "$here/train.py" --data "$data" --out "$out/$name" --size 128 --arch light --max-seconds "$secs" --epochs 1000000 \
    --keep-exports --fixture "$out/$name/parity.json" --samples "$out/$name/samples.png" --threads 2 "$@" \
    >"$out/$name/log.txt" 2>&1
  echo "$name: $(tail -n 1 "$out/$name/log.txt")"
}

common=(--augment color,translation,cutout --export-every-steps 2000)
variants=(a b d f)
variant a --ngf 16 --ndf 32 --sn --batch 64 "${common[@]}" &
variant b --ngf 24 --ndf 32 --sn --batch 64 "${common[@]}" &
variant d --ngf 16 --ndf 32 --batch 32 "${common[@]}" &
variant f --ngf 24 --ndf 32 --batch 64 "${common[@]}" &
wait

for v in "${variants[@]}"; do
  (cd "$here" && OMP_NUM_THREADS=3 python3 fd.py --encoder "$encoder" --mean "$mean" --data "$data" \
    --exports "$out/$v/gan-demo-128-s*.onnx" >"$out/$v/fd.txt" 2>&1) &
done
wait

python3 - "$out" <<'EOF'
import glob, os, re, sys, tarfile
out = sys.argv[1]
for v in sorted(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))):
    folder = os.path.join(out, v)
    scores = []
    fd_txt = os.path.join(folder, "fd.txt")
    if os.path.exists(fd_txt):
        for line in open(fd_txt):
            m = re.match(r"(gan-demo-128-s(\d+)\.onnx) fd=([\d.]+)", line)
            if m:
                scores.append((float(m.group(3)), m.group(1)))
    if not scores:  # fd.py failed: the two latest exports
        files = sorted(glob.glob(os.path.join(folder, "gan-demo-128-s*.onnx")), key=os.path.getmtime)[-2:]
        scores = [(0.0, os.path.basename(f)) for f in files]
    keep, size = [], 0
    for _, name in sorted(scores)[:2]:  # the two best, within the 16 MiB a returned file may have
        stem = name[:-5]
        more = sum(os.path.getsize(os.path.join(folder, f)) for f in (name, f"parity-s{stem.rsplit('-s', 1)[1]}.json")
                   if os.path.exists(os.path.join(folder, f)))
        if not keep or size + more < 12 * 2**20:
            keep.append(name)
            size += more
    with tarfile.open(os.path.join(out, v + ".tar.gz"), "w:gz") as tar:
        for extra in ("log.txt", "fd.txt", "samples.png"):
            if os.path.exists(os.path.join(folder, extra)):
                tar.add(os.path.join(folder, extra), arcname=f"{v}/{extra}")
        for name in keep:
            stem = name[:-5]
            step = stem.rsplit("-s", 1)[1]
            for f in (name, stem + ".json", f"parity-s{step}.json"):
                if os.path.exists(os.path.join(folder, f)):
                    tar.add(os.path.join(folder, f), arcname=f"{v}/{f}")
    print(v, "kept", keep, os.path.getsize(os.path.join(out, v + ".tar.gz")) // 1024, "KiB")
EOF
