class MyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
my_relu = MyFunction.apply
y = my_relu(x)
y.sum().backward()
print(f"Gradient: {x.grad}")

with torch.no_grad():
    z = x + 2
print(z.requires_grad)
