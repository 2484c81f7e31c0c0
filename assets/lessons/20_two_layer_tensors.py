dtype = torch.float
# n: batch size; d_in: input size; h: hidden size; d_out: output size
n, d_in, h, d_out = 64, 1000, 100, 10
x = torch.randn(n, d_in, device=device, dtype=dtype)
y = torch.randn(n, d_out, device=device, dtype=dtype)
w1 = torch.randn(d_in, h, device=device, dtype=dtype)
w2 = torch.randn(h, d_out, device=device, dtype=dtype)

learning_rate = 1e-6
for i in range(500):
    # forward pass
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum().item()
    if i % 50 == 0 or i == 499:
        print(i, loss)
    # backward pass, by hand
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.T)
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
