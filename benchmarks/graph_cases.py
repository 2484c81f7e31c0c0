"""The forward code both graph benchmarks time: (code, name of its model or None)."""

from __future__ import annotations

import argparse

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
