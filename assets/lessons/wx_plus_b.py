# z = w·x + b, the scalar example of forward and backward passes.
# x is data (no grad); w and b are leaves that autograd tracks.
x = torch.tensor([5.0])
w = torch.tensor([0.5], requires_grad=True)
b = torch.tensor([1.5], requires_grad=True)
y = torch.mul(w, x)
z = torch.add(y, b)
y.retain_grad()
z.backward(retain_graph=True)
print("dz/dw =", w.grad, " dz/db =", b.grad)
z
