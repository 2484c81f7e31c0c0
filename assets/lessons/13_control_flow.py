torch.manual_seed(0)


def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)

# A random vector: d is a vector too, so backward() needs a gradient.
a = torch.randn((3), requires_grad=True)
d = f(a)
try:
    d.backward()
except RuntimeError as e:
    print("Error:", e)
d.backward(torch.ones_like(d))
print(a.grad)


def g(x, order):
    if order == 1:
        y = torch.sqrt(x)
    elif order == 2:
        y = torch.square(x)
    else:
        return x
    return y


x = torch.randn(size=(), requires_grad=True)
y = g(x, order=2)
y.backward()
x.grad
