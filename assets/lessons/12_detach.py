x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()  # same values as y, but cut out of the graph
z = u * x

z.sum().backward()
print(x.grad == u)

x.grad.zero_()
y.sum().backward()
x.grad == 2 * x
