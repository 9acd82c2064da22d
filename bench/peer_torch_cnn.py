"""The peer: the same reference CNN in PyTorch on this CPU (2 threads), batch 64 of 32x32x3.

Prints one JSON line: {"trainImagesPerSecond": ..., "inferImagesPerSecond": ...}.
Run with Debian's /usr/bin/python3 after `apt-get install python3-torch`.
"""
import argparse
import json
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=30)
args = parser.parse_args()
torch.set_num_threads(2)
torch.manual_seed(0)

model = nn.Sequential(
    nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 64, 3), nn.ReLU(),
    nn.Flatten(), nn.Linear(64 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10),
)
assert sum(p.numel() for p in model.parameters()) == 122570
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(64, 3, 32, 32)
y = torch.randint(0, 10, (64,))


def train_step():
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()


for _ in range(5):
    train_step()
start = time.perf_counter()
for _ in range(args.steps):
    train_step()
train_rate = 64 * args.steps / (time.perf_counter() - start)

model.eval()
with torch.no_grad():
    for _ in range(5):
        model(x)
    start = time.perf_counter()
    for _ in range(args.steps * 2):
        model(x)
    infer_rate = 64 * args.steps * 2 / (time.perf_counter() - start)

print(json.dumps({"trainImagesPerSecond": train_rate, "inferImagesPerSecond": infer_rate}))
