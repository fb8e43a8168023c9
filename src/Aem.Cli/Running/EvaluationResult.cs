using Aem.Evaluation;
using System.Text;
using System.Text.Json;
using Aem.Cli.Output;

namespace Aem.Cli.Running;

/// <summary>What <c>aem evaluate</c> (and the demo) report: test log-likelihoods of the AEM and its proposal.</summary>
public sealed record EvaluationResult
{
    public const string JsonFile = "evaluation.json";
    public const string MarkdownFile = "evaluation.md";

    public required string Checkpoint { get; init; }

    public int Step { get; init; }

    public required string Data { get; init; }

    public required string Split { get; init; }

    /// <summary>S, importance samples per conditional.</summary>
    public int Samples { get; init; }

    public long Points { get; init; }

    public long SplitPoints { get; init; }

    /// <summary>Which space the log-likelihoods refer to.</summary>
    public required string Units { get; init; }

    /// <summary>log |det| of the standardisation added to every score (0 when none was applied).</summary>
    public double LogAbsDetJacobian { get; init; }

    public required MeanWithError Aem { get; init; }

    public required MeanWithError Proposal { get; init; }

    /// <summary>AEM-KDE (paper §4.3), when asked for with <c>--kde</c>.</summary>
    public MeanWithError? Kde { get; init; }

    /// <summary>How the AEM-KDE bandwidth and proposal weight were chosen, with <c>--kde</c>.</summary>
    public Aem.Evaluation.KdeSelection? KdeSelection { get; init; }

    /// <summary>The true log-likelihood when known (checkerboard: −log 32).</summary>
    public double? Truth { get; init; }

    /// <summary>Truth minus the AEM's mean: how many nats the AEM falls short of the true density.</summary>
    public double? GapToTruth => Truth is { } t ? t - Aem.Mean : null;

    public double Seconds { get; init; }

    public long Seed { get; init; }

    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, RunConfig.Json));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown());
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# Test log-likelihood: {Data}");
        md.AppendLine();
        md.AppendLine($"Checkpoint `{Checkpoint}` (step {Step:N0}); {Split} split, {Points:N0} of {SplitPoints:N0} points; S = {Samples:N0} importance samples per conditional; seed {Seed}.");
        md.AppendLine($"Nats per point, mean ± 2 standard errors, in {Units}.");
        md.AppendLine();
        md.AppendLine("| model | log-likelihood |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| AEM (S = {Samples:N0}) | {Aem.Format(4)} |");
        md.AppendLine($"| proposal | {Proposal.Format(4)} |");
        if (Kde is { } kde && KdeSelection is { } selection)
        {
            md.AppendLine($"| AEM-KDE (h = {selection.Bandwidth:G3}, λ = {selection.ProposalWeight:G3}; chosen on {selection.Points:N0} validation points at S = {selection.Samples:N0}) | {kde.Format(4)} |");
        }
        if (Truth is { } truth) md.AppendLine($"| truth | {truth:F4} |");
        md.AppendLine();
        md.AppendLine($"AEM − proposal: {Aem.Mean - Proposal.Mean:+0.0000;-0.0000} nats.");
        if (GapToTruth is { } gap) md.AppendLine($"Gap to the truth (truth − AEM): {gap:0.0000} nats.");
        md.AppendLine();
        md.AppendLine("The AEM's estimate is biased upwards for finite S (less so as S grows): compare only numbers obtained with the same S.");
        md.AppendLine($"Took {Seconds:0.0} s.");
        return md.ToString();
    }
}
