# Lesson 21, the two-layer net with autograd, and one more backward at the end: the
# lesson zeroes the gradients after each step, so that w1.grad would end all zeros.
import torch

torch.manual_seed(0)
device = torch.device("cpu")
dtype = torch.float
# n: batch size; d_in: input size; h: hidden size; d_out: output size
n, d_in, h, d_out = 64, 1000, 100, 10
x = torch.randn(n, d_in, device=device, dtype=dtype)
y = torch.randn(n, d_out, device=device, dtype=dtype)
w1 = torch.randn(d_in, h, device=device, dtype=dtype, requires_grad=True)
w2 = torch.randn(h, d_out, device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
for i in range(500):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if i % 50 == 0 or i == 499:
        print(i, loss.item())  # noqa: T201 (the lesson shows the loss falling)
    loss.backward()
    # The update must not become part of the graph.
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()

# One more step: w1.grad and w2.grad are the gradients at the trained weights.
loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
loss.backward()
