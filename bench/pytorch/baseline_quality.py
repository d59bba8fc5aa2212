#!/usr/bin/python3
"""The issue-12 quality baseline: a plain PyTorch eager U-Net trained on CamVid for a wall-clock budget.

The recipe of the baseline the issue measured the product against: the `vanilla` shape of
unet_eager.py (16 filters, depth 4), 128x96 frames, batch 8, Adam at 1e-3, random horizontal flips
only, plain cross-entropy with void (11) ignored, no class weights, no schedule, whole epochs while
the next one still fits the budget, the last epoch kept. Then it scores the folder's val split:
one confusion matrix over every val pixel, IoU per class (NaN where a class is in neither labels
nor predictions), mIoU the mean of the defined ones, as the product's ConfusionMatrix does.

The folder is a CamVid layout (train.txt / val.txt lines "train/x.png trainannot/x.png"); to score
on an unseen drive, point it at a folder whose val split is a whole sequence (the trainer README's
"Levers" section makes one with 0006R0 held out). Needs Debian python3-torch and python3-pil.

Prints one JSON line: {"side": "pytorch", "miou", "per_class_iou", "epochs", "images_per_s", ...}.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unet_eager import UNet, VOID  # noqa: E402

CLASSES = 11
MEAN = torch.tensor([0.39, 0.41, 0.42]).view(1, 3, 1, 1)
STD = torch.tensor([0.30, 0.31, 0.31]).view(1, 3, 1, 1)


def read_split(root, split):
    images, labels = [], []
    with open(os.path.join(root, split + ".txt")) as f:
        for line in f:
            if line.strip():
                img, lbl = line.split()
                images.append(np.asarray(Image.open(os.path.join(root, img)).convert("RGB"), dtype=np.uint8))
                labels.append(np.asarray(Image.open(os.path.join(root, lbl)), dtype=np.uint8))
    x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div(255).sub(MEAN).div(STD)
    y = torch.from_numpy(np.stack(labels)).long().clamp(max=VOID)  # anything past void counts as void
    return x.contiguous(), y


def score(net, x, y, batch):
    net.eval()
    confusion = torch.zeros(CLASSES, CLASSES, dtype=torch.int64)
    with torch.inference_mode():
        for i in range(0, len(x), batch):
            pred = net(x[i:i + batch]).argmax(1).flatten()
            truth = y[i:i + batch].flatten()
            keep = truth != VOID
            confusion += torch.bincount(truth[keep] * CLASSES + pred[keep],
                                        minlength=CLASSES * CLASSES).view(CLASSES, CLASSES)
    tp = confusion.diag().double()
    union = confusion.sum(0).double() + confusion.sum(1).double() - tp
    iou = [float(t / u) if u > 0 else float("nan") for t, u in zip(tp, union)]
    defined = [v for v in iou if v == v]
    return sum(defined) / len(defined), iou


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="CamVid folder with train.txt and val.txt")
    p.add_argument("--minutes", type=float, default=10.0, help="wall-clock training budget")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    start = time.perf_counter()
    x_train, y_train = read_split(a.data, "train")
    x_val, y_val = read_split(a.data, "val")
    net = UNet()
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    budget = a.minutes * 60
    epochs, images, train_seconds, last_epoch = 0, 0, 0.0, 0.0
    while time.perf_counter() - start + last_epoch <= budget:
        net.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(x_train))
        for i in range(0, len(order) - a.batch_size + 1, a.batch_size):  # drop the ragged last batch
            idx = order[i:i + a.batch_size]
            x, y = x_train[idx], y_train[idx]
            flip = torch.rand(len(idx)) < 0.5
            x[flip], y[flip] = x[flip].flip(-1), y[flip].flip(-1)
            loss = F.cross_entropy(net(x), y, ignore_index=VOID)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            images += len(idx)
        last_epoch = time.perf_counter() - t0
        train_seconds += last_epoch
        epochs += 1
        print(json.dumps({"epoch": epochs, "loss": round(loss.item(), 4), "seconds": round(last_epoch, 1)}),
              file=sys.stderr, flush=True)
    miou, iou = score(net, x_val, y_val, 16)
    print(json.dumps({"side": "pytorch", "data": a.data, "minutes": a.minutes, "threads": a.threads,
                      "seed": a.seed, "lr": a.lr, "epochs": epochs, "miou": round(miou, 4),
                      "per_class_iou": [round(v, 4) for v in iou], "images_per_s": round(images / train_seconds, 2),
                      "wall_seconds": round(time.perf_counter() - start, 1), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
