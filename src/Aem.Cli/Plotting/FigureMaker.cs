using System.Diagnostics;
using Aem.Cli.Parsing;
using Aem.Figures;
using Aem.Model;
using Aem.Runs;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem.Cli.Plotting;

/// <summary>Computes the figure data with the library and draws the PNGs: figure4a.png, conditionals.png, training-curves.png.</summary>
internal static class FigureMaker
{
    public const string DensityFile = "figure4a.png";
    public const string ConditionalsFile = "conditionals.png";
    public const string CurvesFile = "training-curves.png";
    public const string ContextConditionalsFile = "context-conditionals.png";

    /// <summary>The density panels and conditional slices of a 2-D model; returns the files written.</summary>
    /// <param name="context">Where progress notes go.</param>
    /// <param name="model">A two-dimensional model on its device.</param>
    /// <param name="standardizer">The model's data transform (from its checkpoint), if any.</param>
    /// <param name="data">Data points in data units (the training split), <c>[N, 2]</c>.</param>
    /// <param name="name">The data's name, for titles.</param>
    /// <param name="settings">How much work to spend.</param>
    /// <param name="folder">Output folder.</param>
    /// <param name="axes">What the axes are called (default x1, x2).</param>
    public static IReadOnlyList<string> DensityFigures(
        CliContext context, AutoregressiveEnergyMachine model, Data.Standardizer? standardizer, Tensor data, string name, FigureSettings settings, string folder, AxisNames? axes = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        context.Out.WriteLine($"figures: densities on a {settings.Grid}×{settings.Grid} grid (S = {settings.Samples:N0}), {settings.Points:N0} points per histogram...");
        var figure = DensityFigure.Compute(
            model, data, settings.Points, settings.Grid, settings.Samples, settings.ProposalSamples, settings.Seed, standardizer);
        string densityPath = Path.Combine(folder, DensityFile);
        DensityFigurePlot.Save(
            figure,
            $"{name}: data, proposal and AEM ({figure.Data.Points:N0} points per histogram; AEM samples resample {figure.ResamplingCandidates} proposal samples)",
            densityPath,
            axes);
        var slices = ConditionalSlices.Compute(
            model, data, figure.Region, settings.Slices, samples: settings.Samples, seed: settings.Seed + 1, standardizer: standardizer);
        string slicesPath = Path.Combine(folder, ConditionalsFile);
        var (x1, x2) = axes ?? AxisNames.Default;
        ConditionalsPlot.Save(slices, $"{name}: conditionals p({x2} | {x1}) at fixed {x1} — proposal vs AEM vs data", slicesPath, axes);
        context.Out.WriteLine($"  done in {Durations.Format(clock.Elapsed)}");
        return [densityPath, slicesPath];
    }

    /// <summary>
    /// The first conditional p(x1 | c) of a conditional model at several contexts (<see cref="ContextSlices"/>),
    /// over the data near each context and beside <paramref name="truth"/> when it is known; returns the file written.
    /// </summary>
    public static string ContextFigure(
        CliContext context, SavedRun run, AutoregressiveEnergyMachine model, Tensor data, string name, Func<double, double[], double>? truth, FigureSettings settings, string folder)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        context.Out.WriteLine($"figures: p(x1 | c) at {settings.Slices} contexts on {settings.Grid} points (S = {settings.Samples:N0})...");
        var slices = ContextSlices.Compute(
            model, data, settings.Slices, settings.Grid, samples: settings.Samples, seed: settings.Seed,
            standardizer: run.File.Standardizer, contextStandardizer: run.File.ContextStandardizer);
        double[,]? exact = null;
        if (truth is not null)
        {
            exact = new double[slices.Contexts.Length, slices.X1.Length];
            for (int k = 0; k < slices.Contexts.Length; k++)
            {
                for (int j = 0; j < slices.X1.Length; j++) exact[k, j] = truth(slices.X1[j], slices.Contexts[k]);
            }
        }
        string x1 = run.File.ColumnNames is { Count: > 0 } names && names[0].Length > 0 ? names[0] : "x1";
        var contextNames = run.File.ContextColumnNames ?? Enumerable.Range(1, run.File.Model.ConditioningFeatures).Select(i => $"c{i}").ToArray();
        string path = Path.Combine(folder, ContextConditionalsFile);
        ContextSlicesPlot.Save(slices, exact, $"{name}: p({x1} | context) — proposal vs AEM{(truth is null ? "" : " vs truth")} vs data", path, x1, contextNames);
        context.Out.WriteLine($"  done in {Durations.Format(clock.Elapsed)}");
        return path;
    }

    /// <summary>
    /// Every figure of a run: for a 2-D model the density panels and conditional slices of its checkpoint
    /// (drawn over <paramref name="data"/>, data units), for a conditional model p(x1 | c) at several contexts,
    /// and for any model the training curves of its fullest history. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> All(
        CliContext context, SavedRun run, Tensor? data, string name, double? truth, FigureSettings settings, string folder, Device device,
        Func<double, double[], double>? conditionalTruth = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var written = new List<string>();
        if (data is not null && run.File.Model.ConditioningFeatures > 0)
        {
            using var model = run.LoadModel(device);
            written.Add(ContextFigure(context, run, model, data, name, conditionalTruth, settings, folder));
        }
        else if (data is not null)
        {
            using var model = run.LoadModel(device);
            written.AddRange(DensityFigures(context, model, run.File.Standardizer, data, name, settings, folder, AxisNames.Of(run.File.ColumnNames)));
        }
        written.Add(Curves(run.LatestState(), run.File.Training.WarmupSteps, name, truth, folder));
        return written;
    }

    /// <summary>Training curves from a run's validation history.</summary>
    public static string Curves(TrainingState<ValidationScore> state, int warmup, string name, double? truth, string folder)
    {
        ArgumentNullException.ThrowIfNull(state);
        string path = Path.Combine(folder, CurvesFile);
        Directory.CreateDirectory(folder);
        TrainingCurvesPlot.Save(state.History, warmup, truth, $"{name}: log-likelihood during training (step {state.Step:N0})", path);
        return path;
    }
}
