def f(x):
    return 3 * x ** 2 - 4 * x


def numerical_lim(f, x, h):
    return (f(x + h) - f(x)) / h


h = 0.1
for i in range(5):
    print(f"h={h:.5f}, numerical limit={numerical_lim(f, 1, h):.5f}")
    h *= 0.1

# Autograd gets the limit exactly: f'(1) = 6 * 1 - 4 = 2.
x = torch.tensor(1.0, requires_grad=True)
y = f(x)
y.backward()
x.grad
