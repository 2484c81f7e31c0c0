X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])

before = id(Y)
Y = Y + X
print("Y = Y + X keeps the same memory:", id(Y) == before)

Z = torch.zeros_like(Y)
print("id(Z):", id(Z))
Z[:] = X + Y
print("id(Z):", id(Z))

before = id(X)
X += Y
print("X += Y keeps the same memory:", id(X) == before)

A = X.numpy()
B = torch.tensor(A)
print(type(A), type(B))
a = torch.tensor([3.5])
print(a, a.item(), float(a), int(a))

import io

buffer = io.BytesIO()  # memory instead of a file, so the lesson leaves no file behind
torch.save(a, buffer)
buffer.seek(0)
print("loaded back:", torch.load(buffer))

x = torch.tensor([[1, 2], [3, 4]])
print("transpose is contiguous:", x.t().is_contiguous())
x = torch.tensor([1, 2, 3])
y = x.view(3, 1)  # a view shares x's memory
x[0] = 10
y
