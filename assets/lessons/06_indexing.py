X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
print(X[-1], X[1:3], sep="\n")

X[1, 2] = 9
X[0:2, :] = 12
print(X)

torch.manual_seed(100)
x = torch.randn(2, 3)
print(x[0, :])
print(x[:, -1])
mask = x > 0
x_ = torch.masked_select(x, mask)
print(x_)

t = torch.tensor([[1, 2], [3, 4]])
print(t[0, 1], t[:, 1])
X
