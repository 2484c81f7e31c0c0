# Is a GPU there? False is fine: every lesson also runs on the CPU.
print("CUDA available:", torch.cuda.is_available())

x = torch.arange(12)
print(x)
print(x.shape, x.numel())

X = x.reshape(3, 4)
print(X)

print(torch.zeros((2, 3, 4)))
print(torch.ones((2, 3, 4)))
print(torch.randn(3, 4))
torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
