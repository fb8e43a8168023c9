using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// The density of a 2-D AEM on a grid over [low, high]² (paper fig. 4a), with each conditional
/// <c>p(x₁)</c> and <c>p(x₂ | x₁ = grid value)</c> normalised (a) by quadrature — the converged log-trapezoid
/// rule over <see cref="IntegrationRange"/>, the grid box standing in for the data range — and (b) by
/// importance sampling with S samples (the paper plots S = 1,000). With a uniform proposal the density
/// is zero outside the proposal's square, where the model is not defined. The total mass of each over the box
/// shows how far the IS-normalised picture is from a density: (a) is below 1 only by the mass outside
/// the box, (b) differs further by the IS error. A ReLU energy is only piecewise smooth, so the trapezoid
/// error falls as O(Δ²) and seven figures can take 2^19 points per conditional; for a picture, a looser
/// <see cref="TrapezoidOptions.Tolerance"/> (e.g. 1e-6) is plenty.
/// </summary>
public static class GridDensity
{
    private static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>
    /// Evaluates the density of a 2-D <paramref name="model"/> (in eval mode, without gradients; its train
    /// mode is restored afterwards) at <c>pointsPerAxis²</c> grid points over <c>[low, high]²</c>, in the
    /// model's units.
    /// </summary>
    /// <param name="model">A model with D = 2.</param>
    /// <param name="low">Lower end of both axes.</param>
    /// <param name="high">Upper end of both axes (above <paramref name="low"/>).</param>
    /// <param name="pointsPerAxis">Grid points per axis, ends included (at least 2).</param>
    /// <param name="samples">S, importance samples per conditional for the IS-normalised density.</param>
    /// <param name="trapezoid">The quadrature's settings (default: converged to seven figures).</param>
    /// <param name="generator">Source of the importance samples; null uses libtorch's default generator.</param>
    /// <param name="proposalScales">A mixture component's support for the quadrature is μ ± this many σ.</param>
    /// <param name="margin">The grid box is widened by this many times its width on each side for the quadrature.</param>
    /// <exception cref="ArgumentException">The model is not 2-D, <c>high ≤ low</c>, or the trapezoid settings are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 points per axis or no importance samples.</exception>
    public static GridDensityResult Evaluate(
        AutoregressiveEnergyMachine model,
        double low,
        double high,
        int pointsPerAxis = 201,
        int samples = 1000,
        TrapezoidOptions? trapezoid = null,
        Generator? generator = null,
        double proposalScales = 10,
        double margin = 0.25)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Options.Features != 2) throw new ArgumentException($"Grid densities are for 2-D models; this one has D = {model.Options.Features}.", nameof(model));
        if (model.Options.ConditioningFeatures > 0) throw new ArgumentException("Grid densities are for models without a context; this one models p(x | c).", nameof(model));
        if (!(high > low)) throw new ArgumentException($"Need low < high (got [{low}, {high}]).", nameof(high));
        if (pointsPerAxis < 2) throw new ArgumentOutOfRangeException(nameof(pointsPerAxis), pointsPerAxis, "Need at least 2 points per axis.");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        trapezoid ??= new TrapezoidOptions();
        trapezoid.Validate();
        int n = pointsPerAxis;
        var parameter = model.parameters().First();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var axis = linspace(low, high, n, dtype: float64);                                   // [n]
            // Row 0: the marginal p(x₁) (its outputs are constants); rows 1..n: p(x₂ | x₁ = axis[i]).
            var x = zeros([n, 2], dtype: parameter.dtype, device: parameter.device);
            x.select(1, 0).copy_(axis);
            var outputs = model.ResMade.forward(x);                                               // [n, 2, P]
            var raw = cat([outputs.narrow(0, 0, 1).narrow(1, 0, 1), outputs.narrow(1, 1, 1)], 0); // [1 + n, 1, P]
            var (context, proposal) = model.SplitOutputs(raw);

            var boxLow = Enumerable.Repeat(low, n + 1).ToArray();
            var boxHigh = Enumerable.Repeat(high, n + 1).ToArray();
            var (rangeLow, rangeHigh) = IntegrationRange.For(proposal, boxLow, boxHigh, proposalScales, margin);
            var quadrature = LogTrapezoid.Integrate(
                (active, values) =>
                {
                    using var inner = NewDisposeScope();
                    var ctx = context.index_select(0, tensor(active, device: context.device));
                    return ConditionalEnergy.LogEnergy(model, ctx, values.to(parameter.device), trapezoid.MaxRows).to(CPU).MoveToOuterDisposeScope();
                },
                rangeLow,
                rangeHigh,
                trapezoid);
            var logZQuadrature = tensor(quadrature.LogIntegral, float64);                        // [1 + n]
            var logZImportance = ConditionalEnergy.LogNormalizer(model, new Conditionals(context, proposal), samples, generator, trapezoid.MaxRows).to(CPU);

            var grid = axis.to(parameter.device).unsqueeze(0).expand(n + 1, n);                  // [1 + n, n]
            var logEnergy = ConditionalEnergy.LogEnergy(model, context, grid, trapezoid.MaxRows).to(CPU); // [1 + n, n]
            var logPQuadrature = Joint(logEnergy, logZQuadrature);                               // [n, n]
            var logPImportance = Joint(logEnergy, logZImportance);
            if (model.Options.Proposal == ProposalKind.Uniform)
            {
                // The model is defined only where q > 0: zero density outside the proposal's square.
                using var uniformLow = model.Options.UniformLow.ToScalar();
                using var uniformHigh = model.Options.UniformHigh.ToScalar();
                var outside = axis.lt(uniformLow).logical_or(axis.gt(uniformHigh));               // [n]
                var mask = outside.unsqueeze(1).logical_or(outside.unsqueeze(0));                 // [n, n]
                logPQuadrature = logPQuadrature.masked_fill(mask, MinusInfinity);
                logPImportance = logPImportance.masked_fill(mask, MinusInfinity);
            }

            var logWeights = TrapezoidLogWeights(n, (high - low) / (n - 1));                     // [n]
            var logCell = logWeights.unsqueeze(1).add(logWeights.unsqueeze(0), Scalars.One);    // [n, n]
            double massQuadrature = logPQuadrature.add(logCell, Scalars.One).logsumexp(0).logsumexp(0).exp().ToDouble();
            double massImportance = logPImportance.add(logCell, Scalars.One).logsumexp(0).logsumexp(0).exp().ToDouble();
            return new GridDensityResult(
                axis.data<double>().ToArray(),
                ToArray(logPQuadrature),
                ToArray(logPImportance),
                massQuadrature,
                massImportance,
                samples,
                quadrature.Converged.Count(c => !c));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>log p(x₁ᵢ, x₂ⱼ) = log φ₁(x₁ᵢ) − log Z₁ + log φ₂(x₂ⱼ | x₁ᵢ) − log Z₂ᵢ from row 0 (marginal) and rows 1..n.</summary>
    private static Tensor Joint(Tensor logEnergy, Tensor logZ)
    {
        var first = logEnergy[0] - logZ[0];                                                      // [n] over x₁
        var second = logEnergy.narrow(0, 1, logEnergy.shape[0] - 1) - logZ.narrow(0, 1, logZ.shape[0] - 1).unsqueeze(1); // [n, n]
        return first.unsqueeze(1).add(second, Scalars.One);
    }

    private static Tensor TrapezoidLogWeights(int n, double spacing)
    {
        using var value = spacing.ToScalar();
        var w = full(n, value, float64);
        w[0] = spacing / 2;
        w[n - 1] = spacing / 2;
        return w.log();
    }

    private static double[,] ToArray(Tensor t)
    {
        long rows = t.shape[0], columns = t.shape[1];
        var flat = t.contiguous().data<double>().ToArray();
        var result = new double[rows, columns];
        for (long i = 0; i < rows; i++)
        {
            for (long j = 0; j < columns; j++) result[i, j] = flat[(i * columns) + j];
        }
        return result;
    }
}
