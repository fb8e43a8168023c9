namespace Aem.Tests.Cli;

/// <summary>An unexpected error prints one short line; libtorch's native trace only with AEM_DEBUG.</summary>
public class InternalErrorMessageTests
{
    [Fact]
    public void Short_DropsLibtorchsNativeTrace()
    {
        string message = "element 0 of tensors does not require grad and does not have a grad_fn\nException raised from run_backward at /pytorch/torch/csrc/autograd/autograd.cpp:104 (most recent call first):\nframe #0: c10::Error::Error(" + new string('x', 2000);
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", Aem.Cli.Cli.Short(message));
    }

    [Fact]
    public void Short_CutsALongMessageToOneLineOf300Characters()
    {
        string shortened = Aem.Cli.Cli.Short(string.Join('\n', Enumerable.Repeat("a line of text", 100)));
        Assert.Equal(300, shortened.Length);
        Assert.DoesNotContain('\n', shortened);
        Assert.EndsWith("...", shortened, StringComparison.Ordinal);
    }
}
