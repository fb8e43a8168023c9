using System.Globalization;
using System.Text;
using System.Text.Json;
using Aem.Cli.Parsing;
using Aem.Model;
using Aem.Runs;
using Aem.Training;

namespace Aem.Cli.Output;

/// <summary>What <c>aem demo</c> did and found: settings, timings, scores and where the figures are.</summary>
internal sealed record DemoReport
{
    public const string JsonFile = "report.json";
    public const string MarkdownFile = "report.md";

    public required string Task { get; init; }

    public required AemOptions Model { get; init; }

    public required TrainerOptions Training { get; init; }

    public required AemObjectiveOptions Objective { get; init; }

    public int StepsDone { get; init; }

    public required string StopReason { get; init; }

    public required RunEvaluationReport Evaluation { get; init; }

    /// <summary>Figure paths relative to the output folder.</summary>
    public required IReadOnlyList<string> Figures { get; init; }

    public int Threads { get; init; }

    /// <summary>How training used the cores, e.g. "2 workers × 1 thread (measured …)"; null: <see cref="Threads"/> threads.</summary>
    public string? Compute { get; init; }

    public double? LoadAverageAtStart { get; init; }

    public double? LoadAverageAtEnd { get; init; }

    public double SetupSeconds { get; init; }

    public double TrainingSeconds { get; init; }

    public double EvaluationSeconds { get; init; }

    public double FigureSeconds { get; init; }

    public double TotalSeconds { get; init; }

    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, JsonFiles.Options));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown());
    }

    public string Markdown()
    {
        var e = Evaluation.Scores;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# aem demo: {Task}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"An Autoregressive Energy Machine trained for {Durations.Format(TimeSpan.FromSeconds(TrainingSeconds))} ({StepsDone:N0} steps, {StopReason}) " +
            $"on {Compute ?? $"{Threads} thread(s)"}, then scored on held-out data and drawn.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Held-out log-likelihood (nats per point, mean ± 2 SE, S = {e.Samples:N0}, {e.Points:N0} test points)");
        md.AppendLine();
        md.AppendLine("| model | log-likelihood |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| AEM | {e.Aem.Format(4)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| proposal{(Model.Proposal == ProposalKind.Uniform ? " (fixed uniform)" : "")} | {e.Proposal.Format(4)} |");
        if (Evaluation.Truth is { } truth) md.AppendLine(CultureInfo.InvariantCulture, $"| truth | {truth:F4} (= −log 32) |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"The AEM beats its proposal by {e.Aem.Mean - e.Proposal.Mean:0.000} nats per point.");
        if (Evaluation.GapToTruth is { } gap) md.AppendLine(CultureInfo.InvariantCulture, $"Gap to the truth: {gap:0.000} nats per point (the paper trains 400,000 steps of a wider model on a GPU; this demo {StepsDone:N0} on a CPU).");
        md.AppendLine();
        md.AppendLine("## Figures");
        md.AppendLine();
        foreach (var figure in Figures) md.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(figure)}]({figure})");
        md.AppendLine();
        md.AppendLine("## Settings");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- model: ResMADE H = {Model.HiddenFeatures}, energy net E = {Model.EnergyHiddenFeatures}, K = {Model.ContextFeatures}, " +
            $"{Model.ResMadeBlocks} residual blocks each; {(Model.Proposal == ProposalKind.Uniform ? string.Create(CultureInfo.InvariantCulture, $"uniform proposal U({Model.UniformLow}, {Model.UniformHigh})") : $"{Model.Components}-component mixture proposal")}. " +
            $"The paper uses H = 256, E = 128; the demo is narrower so that it learns within minutes on a CPU.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- training: {Training.Steps:N0} planned steps (fitted to the time budget), batch {Training.BatchSize}, Adam lr {Training.LearningRate:G3} with cosine annealing, " +
            $"warm-up {Training.WarmupSteps:N0}, S = {Objective.TrainingSamples} in training, validation every {Training.ValidateEvery:N0} steps (S = {Objective.ValidationSamples}), seed {Training.Seed}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- time: setup {Durations.Format(TimeSpan.FromSeconds(SetupSeconds))}, training {Durations.Format(TimeSpan.FromSeconds(TrainingSeconds))}, " +
            $"evaluation {Durations.Format(TimeSpan.FromSeconds(EvaluationSeconds))}, figures {Durations.Format(TimeSpan.FromSeconds(FigureSeconds))}; total {Durations.Format(TimeSpan.FromSeconds(TotalSeconds))}.");
        if (LoadAverageAtStart is { } l0) md.AppendLine(CultureInfo.InvariantCulture, $"- machine load average: {l0:0.0} at the start, {LoadAverageAtEnd:0.0} at the end ({Environment.ProcessorCount} cores).");
        md.AppendLine();
        md.AppendLine("Continue training with `aem train --resume <this folder> --steps N`; score with more samples with `aem evaluate --checkpoint <this folder>`.");
        return md.ToString();
    }
}
