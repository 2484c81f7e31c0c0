# A layer's weights and an input of the wrong size: W @ h fails on shapes.
import torch

W = torch.randn(4, 3, requires_grad=True)
h = torch.ones(4)
y = torch.tanh(W @ h)
