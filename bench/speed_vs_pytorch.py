#!/usr/bin/python3
"""segstream against plain PyTorch eager: training and inference images/s, alternating, several rounds.

For each round and each thread count it runs product-train, pytorch-train, product-infer and
pytorch-infer one after another (who goes first swaps every round), each a fresh process that
reports its own steady-state rate (JVM start-up, model loading and warm-up are not counted):

  product train   java -jar trainer.jar benchmark --train --seconds S ...: median images/s of
                  epochs 2.. (training steps only: batch making, forward, backward, update)
  product infer   java -jar trainer.jar benchmark --seconds S: the serving path (MaskPredictor)
                  after a 2 s warm-up
  pytorch         bench/pytorch/unet_eager.py --mode train|infer --seconds S after a warm-up

It prints, per (mode, threads), the ratio product/pytorch of every round and their median, min
and max, with both sides' median images/s, and writes everything to a JSON file (rewritten after
every run, so an interrupted run keeps what it measured).
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def last_json(stdout):
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def product_cmd(a, mode, threads, out_dir):
    cmd = ["java"] + a.jvm_args.split() + ["-jar", a.jar, "benchmark", "--threads", str(threads)]
    if mode == "train":
        return cmd + ["--train", "--seconds", str(a.train_seconds), "--data", a.data, "--limit", str(a.train_limit),
                      "--out", out_dir]
    return cmd + ["--seconds", str(a.infer_seconds)]


def pytorch_cmd(a, mode, threads):
    return [a.python, os.path.join(ROOT, "bench", "pytorch", "unet_eager.py"), "--mode", mode, "--threads",
            str(threads), "--seconds", str(a.train_seconds if mode == "train" else a.infer_seconds)]


def run_one(a, side, mode, threads):
    """Runs one measurement; returns (images/s or None, the record)."""
    tmp = tempfile.mkdtemp(prefix="segstream-speed-") if side == "product" else None
    cmd = product_cmd(a, mode, threads, os.path.join(tmp, "run")) if side == "product" \
        else pytorch_cmd(a, mode, threads)
    seconds = a.train_seconds if mode == "train" else a.infer_seconds
    t0 = time.time()
    rec = {"side": side, "mode": mode, "threads": threads, "cmd": cmd, "load_before": os.getloadavg()[0]}
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3 * seconds + 300)
        rec["rc"] = p.returncode
        if p.returncode != 0:
            raise RuntimeError("exit %d: %s" % (p.returncode, "\n".join(p.stderr.strip().splitlines()[-15:])))
        out = last_json(p.stdout)
        rec["result"] = out
        rate = out["images_per_s_median"] if side == "product" and mode == "train" else out["images_per_s"]
        rec["images_per_s"] = rate
    except Exception as e:  # recorded, and the bench goes on: one failed run must not lose the others
        rec["error"] = str(e)
        rate = None
        print("  %s %s threads %d FAILED: %s" % (side, mode, threads, e), file=sys.stderr)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    rec["wall_s"] = round(time.time() - t0, 1)
    rec["load_after"] = os.getloadavg()[0]
    return rate, rec


def summary(runs, modes, threads_list, rounds):
    rows = []
    for mode in modes:
        for t in threads_list:
            ratios, prod, torch_ = [], [], []
            for r in range(rounds):
                got = {x["side"]: x.get("images_per_s") for x in runs
                       if x["round"] == r and x["mode"] == mode and x["threads"] == t}
                if got.get("product"):
                    prod.append(got["product"])
                if got.get("pytorch"):
                    torch_.append(got["pytorch"])
                if got.get("product") and got.get("pytorch"):
                    ratios.append(got["product"] / got["pytorch"])
            row = {"mode": mode, "threads": t, "ratios": [round(x, 3) for x in ratios]}
            if ratios:
                row.update(ratio_median=statistics.median(ratios), ratio_min=min(ratios), ratio_max=max(ratios))
            if prod:
                row["product_median_images_per_s"] = statistics.median(prod)
            if torch_:
                row["pytorch_median_images_per_s"] = statistics.median(torch_)
            rows.append(row)
    return rows


def print_summary(rows, file=sys.stdout):
    print("\nmode   threads  product img/s  pytorch img/s  ratio median   min    max   per round", file=file)
    for r in rows:
        if "ratio_median" not in r:
            print("%-6s %7d  no complete round" % (r["mode"], r["threads"]), file=file)
            continue
        print("%-6s %7d  %13.1f  %13.1f  %12.3f  %5.3f  %5.3f   %s%s" % (
            r["mode"], r["threads"], r["product_median_images_per_s"], r["pytorch_median_images_per_s"],
            r["ratio_median"], r["ratio_min"], r["ratio_max"], " ".join("%.3f" % x for x in r["ratios"]),
            "" if r["ratio_median"] >= 1.0 else "   (median below 1.0)"), file=file)


def main():
    nproc = os.cpu_count() or 1
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", default="1,%d" % nproc, help="comma-separated thread counts (default 1,nproc)")
    p.add_argument("--modes", default="train,infer", help="train, infer or both")
    p.add_argument("--infer-seconds", type=float, default=20, help="measured seconds of each inference run")
    p.add_argument("--train-seconds", type=float, default=90,
                   help="each training run: the product's wall-clock budget (loading and validation included, "
                        "at least 3 epochs must fit) and PyTorch's measured seconds")
    p.add_argument("--train-limit", type=int, default=128, help="CamVid frames per split for product training")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "camvid-128x96"))
    p.add_argument("--jar", default=os.path.join(ROOT, "trainer", "target", "trainer.jar"))
    p.add_argument("--jvm-args", default="", help="extra JVM options, space-separated")
    p.add_argument("--python", default="/usr/bin/python3", help="a Python with torch (Debian python3-torch)")
    p.add_argument("--json", default=None, help="results file (default bench/results/speed-vs-pytorch-<time>.json)")
    a = p.parse_args()
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    threads_list = [int(t) for t in a.threads.split(",") if t.strip()]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    a.json = a.json or os.path.join(ROOT, "bench", "results", "speed-vs-pytorch-%s.json" % stamp)
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    if not os.path.isfile(a.jar):
        sys.exit("no %s: build it first (mvn -B -o -q package -DskipTests)" % a.jar)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    doc = {"started": stamp, "commit": commit, "nproc": nproc, "settings": vars(a), "runs": []}
    for r in range(a.rounds):
        for t in threads_list:
            for mode in modes:
                order = ["product", "pytorch"] if r % 2 == 0 else ["pytorch", "product"]
                for side in order:
                    rate, rec = run_one(a, side, mode, t)
                    rec["round"] = r
                    doc["runs"].append(rec)
                    print("round %d/%d threads %d %-5s %-7s %s images/s (%.0f s, load %.1f)" % (
                        r + 1, a.rounds, t, mode, side, "%.1f" % rate if rate else "--", rec["wall_s"],
                        rec["load_after"]), flush=True)
                    doc["summary"] = summary(doc["runs"], modes, threads_list, a.rounds)
                    with open(a.json, "w") as f:
                        json.dump(doc, f, indent=1)
    print_summary(doc["summary"])
    print("\nresults: %s" % a.json)


if __name__ == "__main__":
    main()
