using System.Diagnostics;
using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Running;

/// <summary>Scores a split with <see cref="LogLikelihoodEstimator"/>, in chunks of points so that progress can be shown.</summary>
public static class TestScorer
{
    private const long PointsPerChunk = 256;

    /// <param name="context">Where progress goes.</param>
    /// <param name="model">The model, on its device.</param>
    /// <param name="points">The points to score, model units.</param>
    /// <param name="samples">S.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="logAbsDetJacobian">Added to every score (data units).</param>
    public static (MeanWithError Aem, MeanWithError Proposal, TimeSpan Elapsed) Score(
        CliContext context, AutoregressiveEnergyMachine model, Tensor points, int samples, long seed, double logAbsDetJacobian)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        if (samples < 1) throw new UsageException($"--samples must be at least 1 (got {samples}).");
        long n = points.shape[0];
        if (n == 0) throw new UsageException("no points to score.");
        var device = model.parameters().First().device;
        using var generator = new Generator((ulong)seed, device);
        var logP = new List<double>((int)n);
        var logQ = new List<double>((int)n);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        bool hinted = false;
        for (long start = 0; start < n; start += PointsPerChunk)
        {
            long count = Math.Min(PointsPerChunk, n - start);
            using var chunk = points.narrow(0, start, count).to(device);
            using var output = LogLikelihoodEstimator.Estimate(model, chunk, samples, generator);
            logP.AddRange(output.LogDensity.to(float64).data<double>().Select(v => v + logAbsDetJacobian));
            logQ.AddRange(output.LogProposal.to(float64).data<double>().Select(v => v + logAbsDetJacobian));
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(context.Interactive ? 0.5 : 15) || start + count == n)
            {
                lastReport = clock.Elapsed;
                double done = (double)(start + count) / n;
                var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * (1 - done) / done);
                if (!hinted && eta > TimeSpan.FromMinutes(10))
                {
                    hinted = true;
                    context.Out.WriteLine($"(this will take about {Durations.Format(eta)}; --max-points N scores a random subset, --samples S fewer samples)");
                }
                string line = $"scoring {start + count:N0}/{n:N0} points (S = {samples:N0})  ETA {Durations.Format(eta)}";
                if (context.Interactive) context.Out.Write("\r" + line.PadRight(60));
                else context.Out.WriteLine(line);
            }
        }
        if (context.Interactive) context.Out.WriteLine();
        return (MeanWithError.Of(logP), MeanWithError.Of(logQ), clock.Elapsed);
    }

    /// <summary>
    /// The units scores are reported in, and the log |det| that gets them there: a user file that was
    /// standardised is scored in its original units; the paper's tabular sets stay in their
    /// preprocessed space, as in the MAF convention the published numbers follow.
    /// </summary>
    public static (string Units, double LogAbsDetJacobian) Units(DataSpec spec, Standardizer? standardizer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.BuiltInName is { } name && DataSpec.PaperTabular.Contains(name))
        {
            return ("the dataset's preprocessed space (the MAF convention of the published numbers)", 0);
        }
        if (standardizer is not null)
        {
            return ($"the data's original units (standardised-space scores + log|det| {standardizer.LogAbsDetJacobian:0.0000})", standardizer.LogAbsDetJacobian);
        }
        return ("the data's own units", 0);
    }

    /// <summary>The split named by <paramref name="split"/>.</summary>
    public static Tensor Split(DataSet data, string split) => split.ToLowerInvariant() switch
    {
        "test" => data.Test,
        "validation" or "val" => data.Validation,
        "train" => data.Train,
        _ => throw new UsageException($"--split must be test, validation or train, not '{split}'."),
    };

    /// <summary>A seeded random subset of at most <paramref name="maxPoints"/> rows, in their original order.</summary>
    public static Tensor Subset(Tensor points, long? maxPoints, long seed)
    {
        ArgumentNullException.ThrowIfNull(points);
        long n = points.shape[0];
        if (maxPoints is not { } max || max >= n) return points.alias();
        if (max < 1) throw new UsageException($"--max-points must be at least 1 (got {max}).");
        using var generator = new Generator((ulong)seed, CPU);
        using var chosen = randperm(n, generator: generator).narrow(0, 0, max);
        using var sorted = chosen.sort().Values;
        return points.index_select(0, sorted.to(points.device));
    }
}
