x = torch.randn(2, 3)
print(x.size(), x.dim())
x = x.view((3, 2))
y = x.view(-1)
print(x, y, sep="\n")

a = torch.rand(2, 3)
b = a.reshape(-1)
c = a.reshape(-1, 6)
print(b.shape, c.shape)

y = torch.unsqueeze(y, 0)
print(y.size(), y.numel())

y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
y_hat = y_hat.argmax(axis=1)
print(y_hat.dtype)
y_hat = y_hat.type(torch.float32)
print(y_hat.dtype)

t = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(t.shape, t.ndim, t.dtype, t.device)
