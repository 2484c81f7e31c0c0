a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
print(a + b)

A = np.arange(0, 40, 10).reshape(4, 1)
B = np.arange(0, 3)
A1 = torch.from_numpy(A)
B1 = torch.from_numpy(B)
C = A1 + B1
print(C)

# The same stretching, written out by hand with expand().
B3 = B1.unsqueeze(0).expand(4, 3)
A2 = A1.expand(4, 3)
print(A2, B3, sep="\n")

z = torch.tensor([1, 2, 3]) + torch.tensor(2)
print(z)

p = torch.tensor([[1, 2, 3], [4, 5, 6]])  # shape (2, 3)
q = torch.tensor([10, 20])  # shape (2,): 2 cannot stretch to 3
try:
    p + q
except RuntimeError as e:
    print("Error:", e)
