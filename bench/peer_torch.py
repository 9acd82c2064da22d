"""The peer: the same models in PyTorch on this CPU, batch 64 of 32x32x3 for training, 256 for inference.

Twins of Classifier Lab's default models (same layers, sizes and activations):
  cnn        Conv32-Pool-Conv64-Pool-Conv64-Flatten-Dense64-Dense10 (122,570 parameters)
  rnn        one LSTM(128) over the 32 image rows, Dense10 (117,002: PyTorch's LSTM has two bias vectors)
  attention  4x4 patch embedding to 64, position embedding, 2 pre-norm blocks of 4-head self-attention
             and a GELU MLP(128), layer norm, mean over patches, Dense10; dropout 0.1 (74,954 parameters)
  resnet     stem conv3x3(16)-BN-ReLU, then stages of conv3x3(32, 64, 128)-maxpool2-BN-ReLU with
             [1, 0, 1] residual blocks x + ReLU(BN(conv(ReLU(BN(conv(x)))))), global max pool, x0.125,
             Dense10; convolutions without bias (412,954 parameters: Keras' 414,074 also counts the
             batch-norm moving statistics, which PyTorch keeps as buffers)

Prints one JSON line: {"model", "threads", "parameters", "trainImagesPerSecond", "inferImagesPerSecond"}.
Run with Debian's /usr/bin/python3 after `apt-get install python3-torch`.
"""
import argparse
import json
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--model", choices=["cnn", "rnn", "attention", "resnet"], default="cnn")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--steps", type=int, default=30)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)


class Rows(nn.Module):
    """[batch, 3, 32, 32] -> the LSTM over rows, last hidden state -> Dense."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(96, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        rows = x.permute(0, 2, 3, 1).reshape(x.shape[0], 32, 96)
        _, (h, _) = self.lstm(rows)
        return self.head(h[-1])


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(64)
        self.attention = nn.MultiheadAttention(64, 4, batch_first=True)
        self.norm2 = nn.LayerNorm(64)
        self.mlp = nn.Sequential(nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 64), nn.Dropout(0.1))
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.dropout(self.attention(y, y, y, need_weights=False)[0])
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Conv2d(3, 64, 4, stride=4)
        self.position = nn.Parameter(torch.zeros(1, 64, 64))
        self.dropout = nn.Dropout(0.1)
        self.blocks = nn.Sequential(Block(), Block())
        self.norm = nn.LayerNorm(64)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2) + self.position
        x = self.norm(self.blocks(self.dropout(x)))
        return self.head(x.mean(dim=1))


def conv_bn(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, momentum=0.1)]


class Residual(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(width, width), nn.ReLU(), *conv_bn(width, width), nn.ReLU())

    def forward(self, x):
        return x + self.body(x)


class ResNet(nn.Module):
    def __init__(self, stem=16, widths=(32, 64, 128), blocks=(1, 0, 1)):
        super().__init__()
        layers = [*conv_bn(3, stem), nn.ReLU()]
        cin = stem
        for width, count in zip(widths, blocks):
            layers += [nn.Conv2d(cin, width, 3, padding=1, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(width), nn.ReLU()]
            layers += [Residual(width) for _ in range(count)]
            cin = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(cin, 10)

    def forward(self, x):
        return self.head(torch.amax(self.body(x), dim=(2, 3)) * 0.125)


def build(kind):
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3), nn.ReLU(),
            nn.Flatten(), nn.Linear(64 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10),
        )
    if kind == "resnet":
        return ResNet()
    return Rows() if kind == "rnn" else VisionTransformer()


model = build(args.model)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(64, 3, 32, 32)
y = torch.randint(0, 10, (64,))


def train_step():
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()


model.train()
for _ in range(5):
    train_step()
start = time.perf_counter()
for _ in range(args.steps):
    train_step()
train_rate = 64 * args.steps / (time.perf_counter() - start)

model.eval()
images = torch.rand(256, 3, 32, 32)
rounds = max(4, args.steps // 2)
with torch.no_grad():
    for _ in range(2):
        model(images)
    start = time.perf_counter()
    for _ in range(rounds):
        model(images)
    infer_rate = 256 * rounds / (time.perf_counter() - start)

print(json.dumps({
    "model": args.model, "threads": args.threads, "parameters": sum(p.numel() for p in model.parameters()),
    "trainImagesPerSecond": train_rate, "inferImagesPerSecond": infer_rate,
}))
