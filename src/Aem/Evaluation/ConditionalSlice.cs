using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>One conditional p(x_d | x_&lt;d) for every row of a batch, as the ResMADE defines it.</summary>
internal static class ConditionalSlice
{
    /// <summary>Contexts <c>[B, 1, K]</c> and proposals over <c>[B, 1]</c> of dimension <paramref name="dimension"/> (0-based).</summary>
    public static Conditionals At(AutoregressiveEnergyMachine model, Tensor x, int dimension)
    {
        if (dimension < 0 || dimension >= model.Options.Features)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"The model has dimensions 0..{model.Options.Features - 1}.");
        }
        return model.SplitOutputs(RawOutputs(model, x, dimension));
    }

    /// <summary>The ResMADE's raw outputs of one dimension, <c>[B, 1, P]</c> (split later with <see cref="AutoregressiveEnergyMachine.SplitOutputs"/>).</summary>
    public static Tensor RawOutputs(AutoregressiveEnergyMachine model, Tensor x, int dimension) =>
        model.ResMade.forward(x).narrow(1, dimension, 1);
}
