x = torch.randn((2, 3), requires_grad=True)
y = torch.square(x) - 1
loss = y.mean()
loss.backward()
try:
    loss.backward()  # the graph's saved tensors are already freed
except RuntimeError as e:
    print("Second backward() failed:", e)

# The fix: keep the graph with retain_graph=True.
x = torch.randn((2, 3), requires_grad=True)
y = torch.square(x) - 1
loss = y.mean()
print(x)
loss.backward(retain_graph=True)
print(x.grad)
loss.backward()
print(x.grad)  # twice the first gradient: gradients add up
