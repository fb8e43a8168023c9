using System.Diagnostics;
using Aem.Checkpoints;
using Aem.Cli.Running;
using Aem.Figures;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Cli.Plotting;

/// <summary>Computes the figure data with the library and draws the PNGs: figure4a.png, conditionals.png, training-curves.png.</summary>
public static class FigureMaker
{
    public const string DensityFile = "figure4a.png";
    public const string ConditionalsFile = "conditionals.png";
    public const string CurvesFile = "training-curves.png";

    /// <summary>The density panels and conditional slices of a 2-D model; returns the files written.</summary>
    /// <param name="context">Where progress notes go.</param>
    /// <param name="model">A two-dimensional model on its device.</param>
    /// <param name="standardizer">The model's data transform (from its checkpoint), if any.</param>
    /// <param name="data">Data points in data units (the training split), <c>[N, 2]</c>.</param>
    /// <param name="name">The data's name, for titles.</param>
    /// <param name="settings">How much work to spend.</param>
    /// <param name="folder">Output folder.</param>
    public static IReadOnlyList<string> DensityFigures(
        CliContext context, AutoregressiveEnergyMachine model, Data.Standardizer? standardizer, Tensor data, string name, FigureSettings settings, string folder)
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
            densityPath);
        var slices = ConditionalSlices.Compute(
            model, data, figure.Region, settings.Slices, samples: settings.Samples, seed: settings.Seed + 1, standardizer: standardizer);
        string slicesPath = Path.Combine(folder, ConditionalsFile);
        ConditionalsPlot.Save(slices, $"{name}: conditionals p(x2 | x1) at fixed x1 — proposal vs AEM vs data", slicesPath);
        context.Out.WriteLine($"  done in {Durations.Format(clock.Elapsed)}");
        return [densityPath, slicesPath];
    }

    /// <summary>Training curves from a run's validation history.</summary>
    public static string Curves(CheckpointManifest manifest, string name, double? truth, string folder)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var history = manifest.State?.History ?? [];
        int warmup = manifest.Training?.WarmupSteps ?? 0;
        string path = Path.Combine(folder, CurvesFile);
        TrainingCurvesPlot.Save(history, warmup, truth, $"{name}: log-likelihood during training (step {manifest.State?.Step ?? 0:N0})", path);
        return path;
    }

    /// <summary>The manifest with the fullest history: the run's last/ if there is one, else the checkpoint's own.</summary>
    public static CheckpointManifest HistorySource(CheckpointLocation location, CheckpointManifest own)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Run is { } run)
        {
            try
            {
                var last = Checkpoint.ReadManifest(Path.Combine(run, "last"));
                if ((last.State?.Step ?? 0) >= (own.State?.Step ?? 0)) return last;
            }
            catch (CheckpointException)
            {
            }
        }
        return own;
    }
}
