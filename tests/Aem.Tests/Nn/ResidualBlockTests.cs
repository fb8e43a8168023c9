using Aem.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Nn;

public class ResidualBlockTests
{
    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void Forward_AndGradients_EqualThePreActivationFormula(Activation activation)
    {
        // h + L2(act(L1(act(h)))), written out with plain linear layers, on a 4-D input as the energy net uses it.
        using var block = ResidualBlock.Dense(6, activation, dropoutProbability: 0);
        block.to(float64);
        using var generator = new Generator(3, CPU);
        using (no_grad())
        {
            foreach (var parameter in block.parameters()) parameter.uniform_(-0.7, 0.7, generator: generator);
        }
        var weights = block.parameters().ToArray();                                // W1, b1, W2, b2
        using var input = randn([2, 3, 4, 6], dtype: float64, generator: generator).requires_grad_();
        using var reference = nn.functional.linear(
            Act(nn.functional.linear(Act(input, activation), weights[0], weights[1]), activation), weights[2], weights[3]) + input;
        using var output = block.forward(input);
        Assert.True(output.allclose(reference, rtol: 1e-12, atol: 1e-12));

        using var upstream = randn(output.shape, dtype: float64, generator: generator);
        var expected = autograd.grad([reference], [input, .. weights], [upstream]).ToArray();
        var actual = autograd.grad([output], [input, .. weights], [upstream]).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(actual[i].allclose(expected[i], rtol: 1e-10, atol: 1e-12), $"gradient {i} differs");
        }
    }

    private static Tensor Act(Tensor x, Activation activation) => activation == Activation.Relu ? x.relu() : x.tanh();
}
