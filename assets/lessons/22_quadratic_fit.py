# NumPy: the gradients are worked out by hand.
np.random.seed(100)
x = np.linspace(-1, 1, 100).reshape(100, 1)
y = 3 * np.power(x, 2) + 2 + 0.2 * np.random.rand(x.size).reshape(100, 1)
w1 = np.random.rand(1, 1)
b1 = np.random.rand(1, 1)
lr = 0.01
for i in range(800):
    y_pred = np.power(x, 2) * w1 + b1
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.sum()
    grad_w = np.sum(np.power(x, 2) * (y_pred - y))
    grad_b = np.sum(y_pred - y)
    w1 -= lr * grad_w
    b1 -= lr * grad_b
print("NumPy:", w1, b1)

# PyTorch: backward() works them out.
torch.manual_seed(100)
x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
y = 3 * x.pow(2) + 2 + 0.2 * torch.rand(x.size())
torch.manual_seed(100)
w = torch.rand(1, 1, requires_grad=True, dtype=torch.float)
b = torch.rand(1, 1, requires_grad=True, dtype=torch.float)
lr = 0.01
for i in range(800):
    y_pred = x.pow(2).mm(w) + b
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.sum()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
print("PyTorch:", w, b)
