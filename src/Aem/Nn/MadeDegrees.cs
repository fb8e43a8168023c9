using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Nn;

/// <summary>
/// Sequential MADE degree assignment (Germain et al., 2015; the AEM paper's eq. 15) and the masks
/// derived from it. Natural column order, no permutation. A conditioning context takes degree 0: every
/// hidden unit may see it, and with <see cref="Hidden"/>'s conditional rule some hidden units see it alone.
/// </summary>
internal static class MadeDegrees
{
    /// <summary>Input degrees 1..D.</summary>
    public static int[] Inputs(int features) => Enumerable.Range(1, features).ToArray();

    /// <summary>Input degrees of a conditional network's rows <c>[x | c]</c>: 1..D for x, then 0 for each of the C context values.</summary>
    public static int[] Inputs(int features, int conditioningFeatures) =>
        [.. Inputs(features), .. Enumerable.Repeat(0, conditioningFeatures)];

    /// <summary>
    /// Hidden degrees: unit k (0-based) gets <c>(k mod max(1, D-1)) + min(1, D-1)</c>, so every hidden
    /// layer of width H has the same degrees, which is what lets residual blocks add layers together.
    /// With <paramref name="conditional"/>, unit k gets <c>k mod D</c> instead: units of degree 0 see the
    /// context alone and are what the outputs of dimension 1 read (under the rule without a context those
    /// outputs see no hidden unit and are learned constants, which would make p(x_1 | c) blind to c).
    /// </summary>
    public static int[] Hidden(int features, int width, bool conditional = false)
    {
        if (conditional) return Enumerable.Range(0, width).Select(k => k % features).ToArray();
        int period = Math.Max(1, features - 1);
        int offset = Math.Min(1, features - 1);
        return Enumerable.Range(0, width).Select(k => (k % period) + offset).ToArray();
    }

    /// <summary>Output degrees: unit j belongs to dimension <c>j / perDimension</c> and carries its 1-based degree.</summary>
    public static int[] Outputs(int features, int perDimension) =>
        Enumerable.Range(0, features * perDimension).Select(j => (j / perDimension) + 1).ToArray();

    /// <summary>
    /// <c>mask[out, in] = 1</c> iff <c>deg_out ≥ deg_in</c> (or <c>&gt;</c> when <paramref name="strict"/>,
    /// used for the output layer so that dimension d never sees x_d).
    /// </summary>
    public static Tensor Mask(int[] inDegrees, int[] outDegrees, bool strict)
    {
        var data = new float[outDegrees.Length * inDegrees.Length];
        for (int o = 0; o < outDegrees.Length; o++)
        {
            for (int i = 0; i < inDegrees.Length; i++)
            {
                bool connected = strict ? outDegrees[o] > inDegrees[i] : outDegrees[o] >= inDegrees[i];
                data[(o * inDegrees.Length) + i] = connected ? 1f : 0f;
            }
        }
        return torch.tensor(data, new long[] { outDegrees.Length, inDegrees.Length });
    }
}
