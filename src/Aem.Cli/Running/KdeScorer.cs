using System.Diagnostics;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Running;

/// <summary>
/// Scores a split under the AEM, its proposal and AEM-KDE (paper §4.3) from one pass over the same importance
/// samples, after choosing the KDE's bandwidth h and proposal weight λ on validation points.
/// </summary>
public static class KdeScorer
{
    private const long PointsPerChunk = 256;

    /// <param name="context">Where progress goes.</param>
    /// <param name="model">The model, on its device.</param>
    /// <param name="points">The points to score, model units.</param>
    /// <param name="validation">Validation points for the (h, λ) search, model units.</param>
    /// <param name="samples">S for scoring.</param>
    /// <param name="selectionSamples">S for the (h, λ) search.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="logAbsDetJacobian">Added to every score (data units).</param>
    public static (MeanWithError Aem, MeanWithError Proposal, MeanWithError Kde, KdeSelection Selection, TimeSpan Elapsed) Score(
        CliContext context, AutoregressiveEnergyMachine model, Tensor points, Tensor validation, int samples, int selectionSamples, long seed, double logAbsDetJacobian)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(validation);
        if (samples < 1) throw new UsageException($"--samples must be at least 1 (got {samples}).");
        if (selectionSamples < 1) throw new UsageException($"--kde-samples must be at least 1 (got {selectionSamples}).");
        long n = points.shape[0];
        if (n == 0) throw new UsageException("no points to score.");
        var device = model.parameters().First().device;
        using var generator = new Generator((ulong)seed, device);
        var clock = Stopwatch.StartNew();

        context.Out.WriteLine($"choosing the AEM-KDE bandwidth and proposal weight on {validation.shape[0]:N0} validation points (S = {selectionSamples:N0})");
        using var validationOnDevice = validation.to(device);
        var selection = AemKde.Select(model, validationOnDevice, selectionSamples, generator: generator);
        context.Out.WriteLine($"  h = {selection.Bandwidth:G3}, λ = {selection.ProposalWeight:G3} (validation {selection.Score.Format(4)}){EdgeNote(selection)}");

        var logP = new List<double>((int)n);
        var logQ = new List<double>((int)n);
        var logKde = new List<double>((int)n);
        var lastReport = TimeSpan.Zero;
        for (long start = 0; start < n; start += PointsPerChunk)
        {
            long count = Math.Min(PointsPerChunk, n - start);
            using var chunk = points.narrow(0, start, count).to(device);
            using var scores = AemKde.Score(model, chunk, samples, [selection.Bandwidth], [selection.ProposalWeight], generator);
            logP.AddRange(scores.LogDensity.data<double>().Select(v => v + logAbsDetJacobian));
            logQ.AddRange(scores.LogProposal.data<double>().Select(v => v + logAbsDetJacobian));
            using var kde = scores.LogKde.reshape(-1);
            logKde.AddRange(kde.data<double>().Select(v => v + logAbsDetJacobian));
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(context.Interactive ? 0.5 : 15) || start + count == n)
            {
                lastReport = clock.Elapsed;
                string line = $"scoring {start + count:N0}/{n:N0} points (S = {samples:N0}, AEM and AEM-KDE)";
                if (context.Interactive) context.Out.Write("\r" + line.PadRight(60));
                else context.Out.WriteLine(line);
            }
        }
        if (context.Interactive) context.Out.WriteLine();
        return (MeanWithError.Of(logP), MeanWithError.Of(logQ), MeanWithError.Of(logKde), selection, clock.Elapsed);
    }

    private static string EdgeNote(KdeSelection s) =>
        s.BandwidthAtGridEdge || s.ProposalWeightAtGridEdge ? "; at the edge of its search grid" : "";
}
