x = torch.tensor(3.0)
y = torch.tensor(2.0)
print(x + y, x * y, x / y, x**y)

A = torch.arange(20, dtype=torch.float32).reshape(5, 4)
print(A.T)
B = A.clone()  # new memory: a copy of A
print(A * B)  # elementwise (Hadamard) product

S = torch.tensor([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
print(S == S.T)

X = torch.arange(24).reshape(2, 3, 4)
print(len(X), (2 * X).shape)

x = torch.arange(4, dtype=torch.float32)
y = torch.ones(4, dtype=torch.float32)
print(torch.dot(x, y), torch.sum(x * y))
print(torch.mv(A, x))
print(torch.mm(A, torch.ones(4, 3)))
print(torch.matmul(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5, 6], [7, 8]])))

u = torch.tensor([3.0, -4.0])
print(torch.norm(u), torch.abs(u).sum())
torch.norm(torch.ones((4, 9)))
