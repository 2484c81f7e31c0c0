a = torch.Tensor([1, 2, 3])  # data given: float32, whatever the numbers are
b = torch.Tensor(2, 3)  # sizes given: uninitialised memory, any values at all
print(a, b)
print(a.size(), b.shape)

print(torch.eye(2, 2))
print(torch.zeros(2, 3))
print(torch.zeros_like(torch.rand(2, 3)))
print(torch.linspace(1, 10, 4))
print(torch.normal(3, 0.1, (3, 4)))  # mean 3, standard deviation 0.1

e = torch.empty(3, 3)
r = torch.rand(3, 3)
n = torch.from_numpy(np.array([1, 2, 3]))
f = torch.tensor([1, 2, 3], dtype=torch.float32)
print(n.dtype, f.dtype)

w = torch.normal(0, 0.01, size=(2, 3), requires_grad=True)
b = torch.zeros(10, requires_grad=True)

# `device` is the device chosen in the toolbar.
g = torch.randn(3, 3).to(device)
h = torch.randn(3, 3).to(device)
g + h
