#!/usr/bin/python3
"""Plain PyTorch eager U-Net, the shape of segstream's `vanilla` variant at its defaults.

Layer for layer as dev.segstream.model.VanillaUNet: a stem and 4 down steps (2x2 max-pool, then
(3x3 conv without bias, BatchNorm, ReLU) twice), 4 up steps (2x nearest upsample, 3x3 conv + BN +
ReLU, concat [skip, up], the double conv) and a 1x1 conv head with bias; 16 filters doubling per
level, 11 classes. Data are random (speed does not depend on pixel values): a pool of uint8 frames
and labels 0..11 (11 = void, ignored by the loss), converted and normalised per batch.

Prints one JSON line: {"mode", "threads", "images_per_s", "batches", ...}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOID = 11


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up_conv = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
        self.fuse = double_conv(2 * cout, cout)

    def forward(self, x, skip):
        up = self.up_conv(F.interpolate(x, scale_factor=2, mode="nearest"))
        return self.fuse(torch.cat([skip, up], 1))


class UNet(nn.Module):
    def __init__(self, filters=16, depth=4, classes=11):
        super().__init__()
        ch = [filters << i for i in range(depth + 1)]
        self.stem = double_conv(3, ch[0])
        self.downs = nn.ModuleList(double_conv(ch[i - 1], ch[i]) for i in range(1, depth + 1))
        self.ups = nn.ModuleList(Up(ch[i + 1], ch[i]) for i in range(depth))
        self.head = nn.Conv2d(ch[0], classes, 1)
        for m in self.modules():  # as the product: He-normal conv weights, zero bias (BN starts at identity)
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        feats = [self.stem(x)]
        for down in self.downs:
            feats.append(down(F.max_pool2d(feats[-1], 2)))
        y = feats.pop()
        for level in reversed(range(len(self.ups))):
            y = self.ups[level](y, feats.pop())
        return self.head(y)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=["train", "infer"], required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=20.0, help="timed duration after the warm-up")
    p.add_argument("--warmup", type=int, default=3, help="untimed batches first")
    p.add_argument("--lr", type=float, default=3e-4, help="Adam learning rate (the product's default)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--height", type=int, default=96)
    p.add_argument("--params", action="store_true", help="print the parameter count and exit")
    p.add_argument("--channels-last", action="store_true",
                   help="net and batches in torch.channels_last (not the issue's plain baseline; for comparison)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    net = UNet()
    if a.params:
        print(json.dumps({"parameters": sum(t.numel() for t in net.parameters()),
                          "buffers": sum(t.numel() for n, t in net.named_buffers() if "running" in n)}))
        return
    if a.channels_last:
        net = net.to(memory_format=torch.channels_last)
    pool = 64
    frames = torch.randint(0, 256, (pool, a.height, a.width, 3), dtype=torch.uint8)
    labels = torch.randint(0, VOID + 1, (pool, a.height, a.width), dtype=torch.int64)
    mean = torch.tensor([0.39, 0.41, 0.42]).view(1, 3, 1, 1)
    std = torch.tensor([0.30, 0.31, 0.31]).view(1, 3, 1, 1)

    def batch():
        idx = torch.randint(0, pool, (a.batch_size,))
        x = (frames[idx].permute(0, 3, 1, 2).float() / 255 - mean) / std
        fmt = torch.channels_last if a.channels_last else torch.contiguous_format
        return x.contiguous(memory_format=fmt), labels[idx]

    if a.mode == "train":
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=a.lr)

        def step():
            x, y = batch()
            loss = F.cross_entropy(net(x), y, ignore_index=VOID)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss.item()
    else:
        net.eval()

        def step():
            with torch.inference_mode():
                x, _ = batch()
                net(x).argmax(1).to(torch.uint8).numpy().tobytes()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    batches = 0
    while time.perf_counter() - start < a.seconds:
        step()
        batches += 1
    s = time.perf_counter() - start
    print(json.dumps({"side": "pytorch", "mode": a.mode, "threads": a.threads,
                      "images_per_s": batches * a.batch_size / s, "batches": batches, "seconds": round(s, 3),
                      "torch": torch.__version__, "channels_last": a.channels_last}))


if __name__ == "__main__":
    main()
