#!/usr/bin/env bash
# Training and inference images/s under each training-numerics setting (trainer --numerics),
# alternating settings within each round so a noisy host affects them alike; prints every
# measurement, then the median per setting and its ratio to "default".
#
#   trainer/bench/numerics.sh                       # 3 rounds, default / avx2 / no-onednn
#   ROUNDS=5 SETTINGS="default avx2" THREADS=2 trainer/bench/numerics.sh
#
# Run from the repository root after `mvn -B -q package -DskipTests`; reads ../shared/data.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
SETTINGS=${SETTINGS:-"default avx2 no-onednn"}
THREADS=${THREADS:-1}
FILTERS=${FILTERS:-16}
DATA=${DATA:-../shared/data/camvid-128x96}
JAR=${JAR:-trainer/target/trainer.jar}
out=$(mktemp)
echo "round setting train_images_per_s inference_images_per_s"
for r in $(seq 1 "$ROUNDS"); do
  for s in $SETTINGS; do
    train=$(java -jar "$JAR" benchmark --train --data "$DATA" --limit 64 --epochs 3 --filters "$FILTERS" \
        --threads "$THREADS" --device cpu --numerics "$s" 2>/dev/null | tail -n 1 \
      | python3 -c 'import json, sys; print(json.load(sys.stdin)["images_per_s_median"])')
    infer=$(java -jar "$JAR" benchmark --seconds 5 --filters "$FILTERS" --threads "$THREADS" --device cpu \
        --numerics "$s" 2>/dev/null | sed -n -E 's/.*: ([0-9.]+) images\/s.*/\1/p')
    echo "$r $s $train $infer" | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for _, s, t, i in rows:
    by.setdefault(s, ([], []))
    by[s][0].append(float(t)); by[s][1].append(float(i))
base = by.get("default")
print("setting    train median  ratio   inference median  ratio")
for s, (t, i) in by.items():
    mt, mi = statistics.median(t), statistics.median(i)
    rt = mt / statistics.median(base[0]) if base else float("nan")
    ri = mi / statistics.median(base[1]) if base else float("nan")
    print(f"{s:10s} {mt:12.1f}  {rt:5.2f}   {mi:16.1f}  {ri:5.2f}")
PY
rm -f "$out"
