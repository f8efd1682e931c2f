#!/usr/bin/env python3
"""torch_bench.py — the lab's benchmark setups in PyTorch (CPU), for nn-bench's comparison.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tools/torch_bench.py --setup a --threads 1

Reads Fashion-MNIST from Debian's dataset-fashion-mnist, builds the same network as
tools/nn-bench.c's setup, trains one warm-up pass and K timed passes over the first
--images training images (an index permutation per pass, the batch gathered by indexing:
the data set is never copied whole), and prints "samples/s R" for the median pass.

With --serve it trains the warm-up pass, prints "ready", then trains one pass for each line
"pass" read from standard input and answers "seconds S" (nn-bench interleaves these passes with
the lab's); "quit" ends it.
"""
import sys
import argparse
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

SETUPS = {
    "a": dict(hidden=[30], act="sigmoid", bn=False, batch=10, lr=0.1, momentum=0.0),
    "b": dict(hidden=[100, 100, 100], act="sigmoid", bn=False, batch=60, lr=0.5, momentum=0.0),
    "bbn": dict(hidden=[100, 100, 100], act="sigmoid", bn=True, batch=60, lr=0.5, momentum=0.0),
    "c": dict(hidden=[1024, 1024], act="relu", bn=False, batch=256, lr=0.01, momentum=0.9),
    # Caffe's LeNet of seed 004: conv 20x5x5, max-pool 2, conv 50x5x5, max-pool 2, 500 ReLU, 10
    "lenet": dict(conv=True, batch=64, lr=0.01, momentum=0.9),
}


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--setup", choices=sorted(SETUPS), required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--images", type=int, default=60000)
    p.add_argument("--data", default=os.environ.get("NNLAB_FASHION_DIR", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    s = SETUPS[a.setup]
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    X = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte.gz")[: a.images].reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte.gz")[: a.images].astype(np.int64))
    layers, n = [], 784
    if s.get("conv"):
        X = X.reshape(-1, 1, 28, 28)
        layers = [nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.MaxPool2d(2, 2), nn.Flatten(),
                  nn.Linear(800, 500), nn.ReLU()]
        n, s = 500, dict(s, hidden=[])
    for h in s["hidden"]:
        layers.append(nn.Linear(n, h, bias=not s["bn"]))
        if s["bn"]:
            layers.append(nn.BatchNorm1d(h))
        layers.append(nn.Sigmoid() if s["act"] == "sigmoid" else nn.ReLU())
        n = h
    layers.append(nn.Linear(n, 10))
    model = nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=s["lr"], momentum=s["momentum"])
    loss_fn = nn.CrossEntropyLoss()
    B, N = s["batch"], X.shape[0]

    def one_pass():
        perm = torch.randperm(N)
        t0 = time.perf_counter()
        for i in range(0, N, B):
            j = perm[i:i + B]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[j]), y[j])
            loss.backward()
            opt.step()
        return time.perf_counter() - t0

    if a.serve:
        one_pass()  # the warm-up
        print(f"ready torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
        for line in sys.stdin:
            if line.strip() != "pass":
                break
            print(f"seconds {one_pass():.6f}", flush=True)
        return
    times = [one_pass() for _ in range(a.passes + 1)]
    med = sorted(times[1:])[len(times[1:]) // 2]
    print(f"samples/s {N / med:.0f}")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")


if __name__ == "__main__":
    main()
