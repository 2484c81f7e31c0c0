x = torch.arange(4.0)
x.requires_grad_(True)  # the same as x = torch.arange(4.0, requires_grad=True)
print(x.grad)  # None until a backward pass

y = 2 * torch.dot(x, x)
y.backward()
print(x.grad)
print(x.grad == 4 * x)

# PyTorch adds new gradients to old ones: clear them first.
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

# backward() on a vector needs a gradient argument; summing first means all ones.
x.grad.zero_()
y = x * x
y.sum().backward()  # same as y.backward(torch.ones(len(x)))
x.grad
