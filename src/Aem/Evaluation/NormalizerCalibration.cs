using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Normalising-constant calibration (paper §4.2, fig. 5): for randomly chosen conditionals p(x_d | x_&lt;d)
/// with d ≥ 2 and contexts from validation points, compares the "true" log Z from a converged log-space
/// trapezoid rule (<see cref="LogTrapezoid"/>) over <see cref="IntegrationRange"/> with the importance-sampling
/// log Ẑ for each S (and each <see cref="NormalizerEstimator"/> asked for), and summarises the relative error
/// <c>Ẑ/Z − 1</c> by its 5th/50th/95th percentiles.
/// The relative error of Z (not of log Z) is used because it does not depend on the scale of φ, while
/// |log Ẑ − log Z| / |log Z| blows up whenever log Z is near 0; for small errors r ≈ log Ẑ − log Z.
/// </summary>
public static class NormalizerCalibration
{
    /// <summary>
    /// Runs the calibration on <paramref name="model"/> (in eval mode, without gradients; its train mode is
    /// restored afterwards), in the model's units.
    /// </summary>
    /// <param name="model">A model with D ≥ 2.</param>
    /// <param name="validation">Validation points <c>[N, D]</c> in the model's units: the contexts x_&lt;d, and the data range of each dimension.</param>
    /// <param name="options">Settings; default the paper's.</param>
    /// <param name="progress">Receives the quadrature's progress.</param>
    /// <exception cref="ArgumentException">The model has D &lt; 2, the validation data is not <c>[N ≥ 1, D]</c>, or an option is invalid.</exception>
    public static CalibrationResult Run(
        AutoregressiveEnergyMachine model,
        Tensor validation,
        CalibrationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new CalibrationOptions();
        options.Validate();
        int features = model.Options.Features;
        if (model.Options.ConditioningFeatures > 0) throw new ArgumentException("Normaliser calibrations are for models without a context; this one models p(x | c).", nameof(model));
        if (features < 2)
        {
            throw new ArgumentException(
                $"Calibration needs a model with at least 2 dimensions: it tests conditionals p(x_d | x_<d) with d ≥ 2 (the paper skips p(x_1)); this model has D = {features}.",
                nameof(model));
        }
        if (validation.dim() != 2 || validation.shape[1] != features || validation.shape[0] < 1)
        {
            throw new ArgumentException($"Expected validation data [N ≥ 1, {features}], got [{string.Join(", ", validation.shape)}].", nameof(validation));
        }

        var random = new Random(options.Seed);
        int count = options.Conditionals;
        int available = (int)validation.shape[0];
        // Distinct validation points while there are enough of them, as the paper's 1,000 held-out contexts.
        int[] points = available >= count
            ? Enumerable.Range(0, available).OrderBy(_ => random.Next()).Take(count).ToArray()
            : Enumerable.Range(0, count).Select(_ => random.Next(available)).ToArray();
        int[] dimensions = points.Select(_ => 1 + random.Next(features - 1)).ToArray();

        var parameter = model.parameters().First();
        using var generator = new Generator((ulong)options.Seed, parameter.device);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var raw = RawOutputs(model, validation, points, dimensions, options.Trapezoid.MaxRows); // [C, 1, P]
            var (context, proposal) = model.SplitOutputs(raw);

            using var data = validation.to(float64, CPU);
            var dataMin = data.amin([0]).data<double>().ToArray();
            var dataMax = data.amax([0]).data<double>().ToArray();
            var (low, high) = IntegrationRange.For(
                proposal,
                dimensions.Select(d => dataMin[d]).ToArray(),
                dimensions.Select(d => dataMax[d]).ToArray(),
                options.ProposalScales,
                options.DataMargin);

            var quadrature = LogTrapezoid.Integrate(
                (active, values) =>
                {
                    using var inner = NewDisposeScope();
                    var ctx = context.index_select(0, tensor(active, device: context.device));
                    return ConditionalEnergy.LogEnergy(model, ctx, values.to(parameter.device), options.Trapezoid.MaxRows).to(CPU).MoveToOuterDisposeScope();
                },
                low,
                high,
                options.Trapezoid,
                progress);

            var sizes = options.SampleSizes;
            var logZHat = new double[options.Estimators.Count * sizes.Count][];
            for (int e = 0; e < options.Estimators.Count; e++)
            {
                var estimator = options.Estimators[e];
                for (int k = 0; k < sizes.Count; k++)
                {
                    int index = (e * sizes.Count) + k;
                    logZHat[index] = ImportanceSampled(model, raw, sizes[k], estimator, generator, options.Trapezoid.MaxRows);
                    progress?.Report(new EvaluationProgress($"{Name(estimator)} samples, S = {sizes[k]:N0}", index + 1, logZHat.Length));
                }
            }

            var conditionals = Enumerable.Range(0, count).Select(i => new CalibrationConditional(
                points[i],
                dimensions[i],
                low[i],
                high[i],
                quadrature.LogIntegral[i],
                quadrature.Converged[i],
                quadrature.Points[i],
                logZHat.Select(row => row[i]).ToArray())).ToArray();
            var result = new CalibrationResult(sizes.ToArray(), conditionals, []) { Estimators = options.Estimators.ToArray() };
            var summaries = Enumerable.Range(0, logZHat.Length)
                .Select(i => Summarise(sizes[i % sizes.Count], result.RelativeErrors(i)) with { Estimator = options.Estimators[i / sizes.Count] })
                .ToArray();
            return result with { Summaries = summaries };
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static RelativeErrorSummary Summarise(int samples, double[] errors)
    {
        var absolute = errors.Select(Math.Abs).ToArray();
        return new RelativeErrorSummary(
            samples,
            errors.Length,
            Percentile.Of(errors, 5),
            Percentile.Of(errors, 50),
            Percentile.Of(errors, 95),
            Percentile.Of(absolute, 50))
        {
            P5Absolute = Percentile.Of(absolute, 5),
            P95Absolute = Percentile.Of(absolute, 95),
        };
    }

    private static string Name(NormalizerEstimator estimator) => estimator.ToString().ToLowerInvariant();

    /// <summary>The ResMADE outputs of conditional (point i, dimension d_i) for each i, <c>[C, 1, P]</c>.</summary>
    private static Tensor RawOutputs(AutoregressiveEnergyMachine model, Tensor validation, int[] points, int[] dimensions, long maxRows)
    {
        var parameter = model.parameters().First();
        var parts = new List<Tensor>();
        long batch = Math.Max(1, maxRows / model.Options.Features);
        for (int start = 0; start < points.Length; start += (int)batch)
        {
            int b = (int)Math.Min(batch, points.Length - start);
            using var scope = NewDisposeScope();
            var rows = tensor(points.Skip(start).Take(b).Select(p => (long)p).ToArray());
            var x = validation.index_select(0, rows).to(parameter.dtype, parameter.device);  // [b, D]
            var outputs = model.ResMade.forward(x);                                            // [b, D, P]
            var which = tensor(dimensions.Skip(start).Take(b).Select(d => (long)d).ToArray(), device: parameter.device)
                .view(b, 1, 1).expand(b, 1, outputs.shape[2]);                                  // [b, 1, P]
            parts.Add(outputs.gather(1, which).MoveToOuterDisposeScope());
        }
        return cat(parts, 0);
    }

    private static double[] ImportanceSampled(AutoregressiveEnergyMachine model, Tensor raw, int samples, NormalizerEstimator estimator, Generator generator, long maxRows)
    {
        long count = raw.shape[0];
        long group = Math.Min(count, maxRows);
        var result = new double[count];
        for (long start = 0; start < count; start += group)
        {
            using var scope = NewDisposeScope();
            long c = Math.Min(group, count - start);
            var conditionals = model.SplitOutputs(raw.narrow(0, start, c));
            var logZ = ConditionalEnergy.LogNormalizer(model, conditionals, samples, generator, maxRows, estimator).to(CPU).data<double>().ToArray();
            Array.Copy(logZ, 0, result, start, c);
        }
        return result;
    }
}
