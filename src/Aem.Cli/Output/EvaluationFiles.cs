using System.Globalization;
using System.Text;
using System.Text.Json;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runs;

namespace Aem.Cli.Output;

/// <summary>Writes a run's evaluation as <c>evaluation.json</c> and <c>evaluation.md</c>, and prints it.</summary>
internal static class EvaluationFiles
{
    public const string Stem = "evaluation";
    public const string JsonFile = Stem + ".json";
    public const string MarkdownFile = Stem + ".md";

    /// <summary>Writes both files into <paramref name="folder"/> (each atomically).</summary>
    public static void Save(RunEvaluationReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(report, JsonFiles.Options));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown(report));
    }

    /// <summary>The scores as the terminal shows them.</summary>
    public static void Print(TextWriter o, RunEvaluationReport e)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(e);
        var s = e.Scores;
        o.WriteLine($"{Split(e)} log-likelihood on {e.Data}, {Plural.Of(s.Points, "point")}, S = {s.Samples:N0} {Normalizer(s)} samples (nats per point, mean ± 2 SE, {e.Units.Description}):");
        o.WriteLine($"  AEM       {s.Aem.Format(4)}");
        o.WriteLine($"  proposal  {s.Proposal.Format(4)}");
        if (s.Gaussian is { } gaussian) o.WriteLine($"  Gaussian  {gaussian.Format(4)}   (full covariance, fitted to the training split)");
        if (s.Kde is { } kde && s.KdeSelection is { } k)
        {
            string edge = k.BandwidthAtGridEdge || k.ProposalWeightAtGridEdge ? "; at the edge of its search grid" : "";
            o.WriteLine($"  AEM-KDE   {kde.Format(4)}   (h = {k.Bandwidth:G3}, λ = {k.ProposalWeight:G3}, chosen on {k.Points:N0} validation points at S = {k.Samples:N0}: {k.Score.Format(4)}{edge})");
        }
        if (e.Truth is { } truth) o.WriteLine($"  truth     {e.TruthOnPoints?.Format(4) ?? truth.ToString("F4", CultureInfo.InvariantCulture)}   (gap to truth: {e.GapToTruth:0.0000} nats)");
        if (s.OutsideSupport > 0)
        {
            o.WriteLine($"  warning: {s.OutsideSupport:N0} of the {Plural.Of(s.Points, "point")} lie outside the uniform proposal's support, where the model's density is zero: their log-likelihood is -Infinity");
        }
        if (s.MinEffectiveSampleSize is { } ess)
        {
            o.WriteLine($"  normalisers: effective sample size (smallest per point) median {ess.Median:G3}, min {ess.Min:G3}; {ess.ShareBelow:P1} of the points below {ess.Threshold:G3}");
            if (ess.Unreliable)
            {
                o.WriteLine($"  warning: {ess.ShareBelow:P1} of the points have a conditional whose normaliser rests on fewer than {ess.Threshold:G3} effective samples (smallest {ess.Min:G3}): raise --samples");
            }
        }
        if (s.Gaussian is { } g && s.Aem.Mean < g.Mean) o.WriteLine($"  warning: the AEM does not beat the full-covariance Gaussian baseline ({s.Aem.Mean:0.0000} < {g.Mean:0.0000})");
    }

    /// <summary>The Markdown report.</summary>
    public static string Markdown(RunEvaluationReport e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var s = e.Scores;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Test log-likelihood: {e.Data}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Checkpoint `{e.Checkpoint}` (step {e.Step:N0}); {Split(e)} split, {s.Points:N0} of {Plural.Of(s.TotalPoints, "point")}; S = {s.Samples:N0} importance samples per conditional ({Normalizer(s)}); seed {e.Seed}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Nats per point, mean ± 2 standard errors, in {e.Units.Description}.");
        md.AppendLine();
        md.AppendLine("| model | log-likelihood |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| AEM (S = {s.Samples:N0}) | {s.Aem.Format(4)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| proposal | {s.Proposal.Format(4)} |");
        if (s.Gaussian is { } gaussian) md.AppendLine(CultureInfo.InvariantCulture, $"| full-covariance Gaussian (fitted to the training split) | {gaussian.Format(4)} |");
        if (s.Kde is { } kde && s.KdeSelection is { } selection)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| AEM-KDE (h = {selection.Bandwidth:G3}, λ = {selection.ProposalWeight:G3}; chosen on {selection.Points:N0} validation points at S = {selection.Samples:N0}) | {kde.Format(4)} |");
        }
        if (e.Truth is { } truth) md.AppendLine(CultureInfo.InvariantCulture, $"| truth | {e.TruthOnPoints?.Format(4) ?? truth.ToString("F4", CultureInfo.InvariantCulture)} |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"AEM − proposal: {s.Aem.Mean - s.Proposal.Mean:+0.0000;-0.0000} nats.");
        if (s.Gaussian is { } g) md.AppendLine(CultureInfo.InvariantCulture, $"AEM − Gaussian: {s.Aem.Mean - g.Mean:+0.0000;-0.0000} nats.");
        if (s.MinEffectiveSampleSize is { } ess)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Normalisers: the points' smallest effective sample sizes have median {ess.Median:G3} (smallest {ess.Min:G3}); {ess.ShareBelow:P1} of the points are below {ess.Threshold:G3}.");
        }
        if (e.GapToTruth is { } gap) md.AppendLine(CultureInfo.InvariantCulture, $"Gap to the truth (truth − AEM): {gap:0.0000} nats.");
        md.AppendLine();
        md.AppendLine(s.Normalizer switch
        {
            NormalizerEstimator.Iid => "The AEM's estimate is biased upwards for finite S (less so as S grows): compare only numbers obtained with the same S and normaliser.",
            NormalizerEstimator.Stratified => "Stratified normalisers are unbiased and far more accurate than independent ones at the same S, so log p̂'s upward bias is much smaller; compare only numbers obtained with the same S and normaliser.",
            _ => "Quadrature normalisers are deterministic (no sampling noise, a small bias of either sign); compare only numbers obtained with the same S and normaliser.",
        });
        md.AppendLine(CultureInfo.InvariantCulture, $"Took {e.Seconds:0.0} s.");
        return md.ToString();
    }

    private static string Normalizer(TestEvaluationReport s) => s.Normalizer.ToString().ToLowerInvariant();

    private static string Split(RunEvaluationReport e) => e.Split.ToString().ToLowerInvariant();
}
