"""The forward code both graph benchmarks time: (code, name of its model or None)."""

from __future__ import annotations

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
