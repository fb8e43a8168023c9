using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>
/// Evaluates a two-dimensional AEM's density (paper eqs. 8–9) and its proposal's on a grid, sharing
/// work the autoregressive structure allows: the first conditional's context is a constant, so one
/// Ẑ_1 serves every x1; the second conditional's context depends on x1 only, so one Ẑ_2(x1) serves
/// a whole column. A G×G grid then costs (1 + G)·S energy evaluations for the normalisers instead
/// of the 2·G²·S that <see cref="LogLikelihoodEstimator"/> would spend on its G² points.
/// </summary>
internal static class GridEvaluator
{
    private static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>
    /// Log-densities on the grid <paramref name="x1"/> × <paramref name="x2"/> (data units) with
    /// <paramref name="samples"/> importance samples per normaliser. With a <paramref name="standardizer"/>
    /// the grid is mapped into the model's units and the densities carry its Jacobian, so they are
    /// densities of the data. Eval mode and no-grad; the model's mode is restored.
    /// </summary>
    public static FactorisedGrid Evaluate(
        AutoregressiveEnergyMachine model,
        IReadOnlyList<double> x1,
        IReadOnlyList<double> x2,
        int samples,
        Generator? generator = null,
        Standardizer? standardizer = null,
        long maxRows = EnergyRows.Default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        if (model.Options.Features != 2) throw new ArgumentException($"Grid figures need a two-dimensional model; this one has D = {model.Options.Features}.", nameof(model));
        if (model.Options.ConditioningFeatures > 0) throw new ArgumentException("Grid figures are for models without a context; this one models p(x | c).", nameof(model));
        if (x1.Count == 0 || x2.Count == 0) throw new ArgumentException("The grid needs at least one value per axis.", nameof(x1));
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "Need a positive chunk size.");
        var std = standardizer ?? Standardizer.Identity(2);
        if (std.Features != 2) throw new ArgumentException($"The standardizer has {std.Features} columns; the model has 2.", nameof(standardizer));

        var parameter = model.parameters().First();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var z1 = ModelUnits(x1, std, 0, parameter);                                  // [G1]
            var z2 = ModelUnits(x2, std, 1, parameter);                                  // [G2]
            var input = stack([z1, zeros_like(z1)], 1);                                  // [G1, 2]
            var outputs = model.ResMade.forward(input);                                  // [G1, 2, P]

            // Dimension 1: no inputs precede it, so its outputs are the same for every row.
            var first = model.SplitOutputs(outputs.narrow(0, 0, 1).narrow(1, 0, 1));    // [1, 1, P]
            var values1 = z1.view(1, 1, -1);                                             // [1, 1, G1]
            var logPhi1 = model.EnergyNet.forward(values1, first.Context).view(-1);      // [G1]
            var logQ1 = first.Proposal.LogProb(values1).view(-1);                        // [G1]
            var logZ1 = EstimateLogNormalizer(model, first, samples, generator, maxRows).view(-1); // [1]

            // Dimension 2: its context depends on x1 alone, so each grid column shares one Ẑ_2.
            var secondOutputs = outputs.narrow(1, 1, 1);                                 // [G1, 1, P]
            var second = model.SplitOutputs(secondOutputs);
            var (logPhi2, logQ2) = EnergyAndProposalOnGrid(model, secondOutputs, z2, maxRows); // [G1, G2] each
            var logZ2 = EstimateLogNormalizer(model, second, samples, generator, maxRows); // [G1, 1]

            double jacobian1 = -Math.Log(std.Scale[0]), jacobian2 = -Math.Log(std.Scale[1]);
            return new FactorisedGrid(
                [.. x1],
                [.. x2],
                ToArray(OnSupport(logPhi1 - logZ1, logQ1), jacobian1),
                ToArray(logQ1, jacobian1),
                ToMatrix(OnSupport(logPhi2 - logZ2, logQ2), jacobian2),
                ToMatrix(logQ2, jacobian2),
                samples);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Importance sampling measures φ only where q &gt; 0, so Ẑ normalises φ over the proposal's support
    /// (the box of a uniform proposal): outside it the AEM's density is zero.
    /// </summary>
    private static Tensor OnSupport(Tensor logDensity, Tensor logProposal) =>
        logDensity.masked_fill(logProposal.isneginf(), MinusInfinity);

    private static Tensor ModelUnits(IReadOnlyList<double> values, Standardizer std, int column, Tensor like) =>
        tensor(values.Select(v => (v - std.Mean[column]) / std.Scale[column]).ToArray(), dtype: like.dtype, device: like.device);

    /// <summary>log φ and log q of every grid value under every row's conditional, in row chunks that bound memory.</summary>
    private static (Tensor LogEnergy, Tensor LogProposal) EnergyAndProposalOnGrid(
        AutoregressiveEnergyMachine model, Tensor outputs, Tensor values, long maxRows)
    {
        long rows = outputs.shape[0], g2 = values.shape[0];
        long chunk = Math.Clamp(maxRows / g2, 1, rows);
        var energies = new List<Tensor>();
        var proposals = new List<Tensor>();
        for (long start = 0; start < rows; start += chunk)
        {
            long n = Math.Min(chunk, rows - start);
            var part = model.SplitOutputs(outputs.narrow(0, start, n));                 // [n, 1, P]
            var grid = values.view(1, 1, -1).expand(n, 1, g2);                          // [n, 1, G2]
            energies.Add(model.EnergyNet.forward(grid, part.Context).squeeze(1));       // [n, G2]
            proposals.Add(part.Proposal.LogProb(grid).squeeze(1));                     // [n, G2]
        }
        return (cat(energies, 0), cat(proposals, 0));
    }

    /// <summary>
    /// log Ẑ = logsumexp_s(log φ(x_s) − log q(x_s)) − log S with x_s ~ q, for each row's conditional,
    /// folding sample chunks into a running logsumexp; returns <c>[rows, 1]</c>.
    /// </summary>
    private static Tensor EstimateLogNormalizer(
        AutoregressiveEnergyMachine model, Conditionals conditionals, int samples, Generator? generator, long maxRows)
    {
        long rows = conditionals.Context.shape[0];
        long chunk = Math.Clamp(maxRows / rows, 1, samples);
        Tensor? running = null;
        for (long done = 0; done < samples; done += chunk)
        {
            long s = Math.Min(chunk, samples - done);
            using var chunkScope = NewDisposeScope();
            var draws = conditionals.Proposal.Sample(s, generator);                     // [rows, 1, s]
            var logWeights = model.EnergyNet.forward(draws, conditionals.Context) - conditionals.Proposal.LogProb(draws);
            var updated = LogNormalizer.Accumulate(running, logWeights).MoveToOuterDisposeScope();
            running?.Dispose();
            running = updated;
        }
        using var logS = Math.Log(samples).ToScalar();
        return running!.sub(logS);
    }

    private static double[] ToArray(Tensor t, double shift) =>
        t.to(float64).cpu().data<double>().Select(v => v + shift).ToArray();

    private static double[,] ToMatrix(Tensor t, double shift)
    {
        long g1 = t.shape[0], g2 = t.shape[1];
        var flat = t.to(float64).cpu().contiguous().data<double>().ToArray();
        var result = new double[g1, g2];
        for (long i = 0; i < g1; i++)
        {
            for (long j = 0; j < g2; j++) result[i, j] = flat[(i * g2) + j] + shift;
        }
        return result;
    }
}
