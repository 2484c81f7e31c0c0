A = torch.arange(20, dtype=torch.float32).reshape(5, 4)
print(A.sum())
print(A.sum(axis=0), A.sum(axis=1))
print(A.sum(axis=[0, 1]))  # same as A.sum()
print(A.mean(), A.sum() / A.numel())
print(A.mean(axis=0))

sum_A = A.sum(axis=1, keepdims=True)
print(A / sum_A)  # keepdims lets the (5, 1) sums broadcast
print(A.cumsum(axis=0))

T = torch.ones((2, 3, 4))
print(T.sum(axis=0).size(), T.sum(axis=1).size(), T.sum(axis=2).size())
print(torch.linalg.norm(torch.ones((3, 4))))

t = torch.linspace(0, 10, 6).view(2, 3)
print(t.sum(dim=0), t.sum(dim=0, keepdim=True))

y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat.max(dim=1))
y_hat.argmax(axis=1)
