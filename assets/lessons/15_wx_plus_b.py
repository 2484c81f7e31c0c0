x = torch.tensor([5.0])
w = torch.tensor([0.5], requires_grad=True)
b = torch.tensor([1.5], requires_grad=True)
y = torch.mul(w, x)
z = torch.add(y, b)
print("requires_grad of x, w, b, y, z:", x.requires_grad, w.requires_grad, b.requires_grad,
      y.requires_grad, z.requires_grad)
print("grad_fn of x, w, b, y, z:", x.grad_fn, w.grad_fn, b.grad_fn, y.grad_fn, z.grad_fn)
y.retain_grad()  # y is not a leaf: without this its .grad stays None
z.backward(retain_graph=True)
print("dz/dw =", w.grad, " dz/db =", b.grad, " dz/dy =", y.grad)
z
