x = torch.tensor([[2, 3]], dtype=torch.float, requires_grad=True)
J = torch.zeros(2, 2)
y = torch.zeros(1, 2)
y[0, 0] = x[0, 0] ** 2 + 3 * x[0, 1]
y[0, 1] = x[0, 1] ** 2 + 2 * x[0, 0]

y.backward(torch.Tensor([[1, 0]]), retain_graph=True)
J[0] = x.grad
print(J[0])

x.grad = torch.zeros_like(x.grad)
y.backward(torch.Tensor([[0, 1]]))
J[1] = x.grad
J
