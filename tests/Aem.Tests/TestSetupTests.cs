using TorchSharp;

namespace Aem.Tests;

public class TestSetupTests
{
    [Fact]
    public void Torch_UsesOneThreadPerTestProcess()
    {
        // Test classes run in parallel; more torch threads than cores is several times slower.
        Assert.Equal(1, torch.get_num_threads());
    }
}
