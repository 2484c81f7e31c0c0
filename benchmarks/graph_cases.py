"""The forward code both graph benchmarks time: (code, name of its model or None)."""

from __future__ import annotations

import argparse
from typing import NamedTuple

D2L_CONTROL_FLOW = (
    "def f(a):\n    b = a * 2\n    while b.norm() < 1000:\n        b = b * 2\n"
    "    if b.sum() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\n"
    "torch.manual_seed(1)\na = torch.randn(size=(), requires_grad=True)\nout = f(a)\n",
    None,
)


def transformer(layers: int) -> tuple[str, str]:
    """A small nn.TransformerEncoder: about 63 ops a layer."""
    return (
        "torch.manual_seed(0)\n"
        "layer = nn.TransformerEncoderLayer(64, 4, 128, batch_first=True)\n"
        f"model = nn.TransformerEncoder(layer, {layers}, enable_nested_tensor=False)\n"
        "out = model(torch.randn(2, 10, 64)).sum()\n",
        "model",
    )


def mlp(layers: int) -> tuple[str, str]:
    """Linear+Tanh blocks: three ops a layer."""
    return (
        "torch.manual_seed(0)\n"
        f"blocks = [m for _ in range({layers}) for m in (nn.Linear(16, 16), nn.Tanh())]\n"
        "model = nn.Sequential(*blocks)\n"
        "out = model(torch.randn(4, 16)).sum()\n",
        "model",
    )


def add_repeat_options(parser: argparse.ArgumentParser, repeats: int, seconds: float) -> None:
    """How often each case runs: at least ``repeats`` times, and for ``seconds`` of baseline."""
    parser.add_argument("--repeats", type=int, default=repeats, help="at least this many runs each")
    parser.add_argument(
        "--seconds",
        type=float,
        default=seconds,
        help="and keep repeating until the baseline has run this long, so that the"
        " millisecond-sized cases get enough samples for a steady median",
    )


class ScaleCase(NamedTuple):
    """A big graph for benchmarks/graph_scale.py: its code, output tensor and model."""

    code: str
    root: str  # the variable holding the output, which torchviz starts from
    model_name: str | None  # whose named_parameters torchviz labels, if any


def chain(steps: int) -> ScaleCase:
    """Elementwise ops on a 4-vector, no module: 1.5 ops a step (30,001 ops at 20,000)."""
    return ScaleCase(
        "x = torch.randn(4, requires_grad=True)\n"
        "y = x\n"
        f"for i in range({steps}):\n"
        "    y = y * 1.0001 + 0.0001 if i % 2 else y.tanh()\n"
        "out = y.sum()\n",
        "out",
        None,
    )


def gpt(blocks: int) -> ScaleCase:
    """A GPT-style transformer of ``blocks`` identical blocks, then loss.backward()."""
    return ScaleCase(
        "torch.manual_seed(0)\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, d, h):\n"
        "        super().__init__()\n"
        "        self.ln1 = nn.LayerNorm(d)\n"
        "        self.attn = nn.MultiheadAttention(d, h, batch_first=True)\n"
        "        self.ln2 = nn.LayerNorm(d)\n"
        "        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))\n"
        "    def forward(self, x):\n"
        "        a = self.ln1(x)\n"
        "        x = x + self.attn(a, a, a, need_weights=False)[0]\n"
        "        return x + self.mlp(self.ln2(x))\n"
        "class GPT(nn.Module):\n"
        f"    def __init__(self, vocab=50, d=32, h=4, n={blocks}, T=8):\n"
        "        super().__init__()\n"
        "        self.tok = nn.Embedding(vocab, d)\n"
        "        self.pos = nn.Embedding(T, d)\n"
        "        self.blocks = nn.Sequential(*[Block(d, h) for _ in range(n)])\n"
        "        self.ln_f = nn.LayerNorm(d)\n"
        "        self.head = nn.Linear(d, vocab)\n"
        "    def forward(self, idx):\n"
        "        t = idx.shape[1]\n"
        "        x = self.tok(idx) + self.pos(torch.arange(t))\n"
        "        return self.head(self.ln_f(self.blocks(x)))\n"
        "model = GPT()\n"
        "idx = torch.randint(0, 50, (2, 8))\n"
        "logits = model(idx)\n"
        "loss = F.cross_entropy(logits.view(-1, 50), idx.view(-1))\n"
        "loss.backward()\n",
        "loss",
        "model",
    )


def rnn(steps: int) -> ScaleCase:
    """One nn.RNNCell applied ``steps`` times: the same module call over and over."""
    return ScaleCase(
        "torch.manual_seed(0)\n"
        "cell = nn.RNNCell(8, 16)\n"
        "h = torch.zeros(1, 16)\n"
        f"xs = torch.randn({steps}, 1, 8)\n"
        f"for t in range({steps}):\n"
        "    h = cell(xs[t], h)\n"
        "loss = h.pow(2).sum()\n",
        "loss",
        "cell",
    )
