# n: batch size; d_in: input size; h: hidden size; d_out: output size
n, d_in, h, d_out = 64, 1000, 100, 10
x = np.random.randn(n, d_in)
y = np.random.randn(n, d_out)
w1 = np.random.randn(d_in, h)
w2 = np.random.randn(h, d_out)

learning_rate = 1e-6
for i in range(500):
    # forward pass
    h = x.dot(w1)
    h_relu = np.maximum(h, 0)
    y_pred = h_relu.dot(w2)
    loss = np.square(y_pred - y).sum()
    if i % 50 == 0 or i == 499:
        print(i, loss)
    # backward pass, by hand
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T.dot(grad_y_pred)
    grad_h_relu = grad_y_pred.dot(w2.T)
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grad_w1 = x.T.dot(grad_h)
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
