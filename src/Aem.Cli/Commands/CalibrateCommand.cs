using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Plotting;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem calibrate</c>: compares a checkpoint's importance-sampling normalising constants with converged
/// quadrature on randomly chosen conditionals (paper §4.2, figure 5); writes calibration.json,
/// calibration.md and figure5.png.
/// </summary>
internal sealed class CalibrateCommand
{
    private readonly CliContext context;
    private readonly Option<string> checkpoint = CheckpointOptions.Create();
    private readonly Option<int> conditionals = new("--conditionals") { Description = "Conditionals to test (the paper: 1,000).", DefaultValueFactory = _ => 1000 };
    private readonly Option<string> sizes = new("--sizes") { Description = "Comma-separated importance-sample counts S.", DefaultValueFactory = _ => "1,10,100,1000,10000" };
    private readonly Option<string> normalizers = new("--normalizers")
    {
        Description = "Comma-separated normaliser estimators to compare, each at every S: iid, stratified, quadrature (see docs/normalizers.md).",
        DefaultValueFactory = _ => "iid",
        HelpName = "LIST",
    };
    private readonly Option<double> tolerance = new("--tolerance") { Description = "Stop doubling the grid when |Δ log Z| ≤ this (5e-8: seven significant figures of Z).", DefaultValueFactory = _ => 5e-8 };
    private readonly Option<int> maxGrid = new("--max-grid") { Description = "Give up on a conditional beyond this many grid points.", DefaultValueFactory = _ => (1 << 20) + 1 };
    private readonly Option<bool> gridMass = new("--grid-mass")
    {
        Description = "2-D models: also normalise the density on a 201×201 grid over the data's box (a uniform proposal: its square) by quadrature and by importance sampling " +
            "(S = 1,000, as the paper's figure 4a) and report the total mass of each.",
    };
    private readonly CommonOptions common;
    private readonly DataOptions data;

    private CalibrateCommand(CliContext context, Command command)
    {
        this.context = context;
        foreach (var option in new Option[] { checkpoint, conditionals, sizes, normalizers, tolerance, maxGrid, gridMass }) command.Add(option);
        common = CommonOptions.AddTo(command, "Folder for calibration.json, calibration.md, figure5.png and normalizers.png (default: the run folder).");
        data = DataOptions.AddTo(command);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("calibrate", "Check a trained AEM's normalising constants (paper §4.2, figure 5): integrate each chosen conditional's " +
            "energy by a log-trapezoid rule to seven figures and compare with importance-sampling estimates for several S. " +
            "With --normalizers, compares stratified and quadrature normalisers too. Writes calibration.json, calibration.md, figure5.png and normalizers.png.");
        var handler = new CalibrateCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        var (device, _) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        var options = new CalibrationOptions
        {
            Conditionals = result.GetValue(conditionals),
            SampleSizes = ParseSizes(result.GetValue(sizes)!),
            Estimators = ParseEstimators(result.GetValue(normalizers)!),
            Trapezoid = new TrapezoidOptions { Tolerance = result.GetValue(tolerance), MaxPoints = result.GetValue(maxGrid) },
            Seed = (int)seed,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var run = SavedRun.Open(result.GetValue(checkpoint)!);
        int features = run.File.Model.Features;
        if (features < 2) throw new UsageException($"{run.Checkpoint}: the model has D = 1; calibration tests conditionals with d ≥ 2 (the paper skips p(x1)).");
        bool withGridMass = result.GetValue(gridMass);
        if (withGridMass && features != 2) throw new UsageException($"--grid-mass needs a 2-D model; {run.Checkpoint} has D = {features}.");
        var request = data.ForRun(result, run, seed);
        using var dataSet = run.LoadData(request);
        var clock = Stopwatch.StartNew();
        CalibrationResult calibration;
        GridMassReport? mass = null;
        using (var model = run.LoadModel(device))
        {
            context.Out.WriteLine($"calibrating {options.Conditionals:N0} conditionals of {run.Checkpoint} (S = {string.Join(", ", options.SampleSizes)}; {string.Join(", ", options.Estimators.Select(NormalizerOptions.Name))} samples)");
            calibration = NormalizerCalibration.Run(model, dataSet.Validation, options, new Progress<EvaluationProgress>(p =>
                context.Out.WriteLine($"{p.Stage}: {p.Done:N0}/{p.Total:N0} done ({Durations.Format(clock.Elapsed)})")));
            if (withGridMass) mass = GridMass(context, model, dataSet.Validation, seed);
        }
        var report = new CalibrationReport
        {
            Checkpoint = run.Checkpoint, Step = run.File.State.Step, Data = request.Describe(), Options = options,
            Result = calibration, GridMass = mass, Seconds = clock.Elapsed.TotalSeconds,
        };
        using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? run.ResultsFolder);
        report.Save(folder.Path);
        bool several = calibration.Estimators.Count > 1;
        BoxFigurePlot.Save(
            calibration.Summaries.Select((s, k) => (
                s.Samples.ToString("N0", CultureInfo.InvariantCulture) + (several ? " " + NormalizerOptions.Name(s.Estimator) : ""),
                (IReadOnlyList<double>)calibration.RelativeErrors(k).Select(r => Math.Log10(Math.Abs(r))).ToArray())).ToArray(),
            null, "", $"Normalising constants of {report.Data}: relative error of Ẑ against quadrature", "importance samples S", "log₁₀ |Ẑ/Z − 1|",
            folder.File(CalibrationReport.PngFile));
        NormalizerErrorPlot.Save(calibration, $"Normalisers of {report.Data}: error against cost", folder.File(CalibrationReport.ErrorPngFile));
        folder.Keep();
        report.Print(context.Out);
        context.Out.WriteLine($"wrote {folder.File(CalibrationReport.JsonFile)}, {folder.File(CalibrationReport.MarkdownFile)}, {folder.File(CalibrationReport.PngFile)} and {folder.File(CalibrationReport.ErrorPngFile)}");
        return Cli.Ok;
    }

    /// <summary>
    /// The grid density's mass over the validation data's box widened by 5 % of its width on each side
    /// (for a uniform proposal: its square).
    /// </summary>
    private static GridMassReport GridMass(CliContext context, AutoregressiveEnergyMachine model, Tensor validation, long seed)
    {
        const int points = 201, samples = 1000;
        using var min = validation.min();
        using var max = validation.max();
        double low = min.ToDouble(), high = max.ToDouble();
        double margin = 0.05 * Math.Max(high - low, 1e-6);
        (low, high) = (low - margin, high + margin);
        // A uniform proposal's square is the model's whole support: grid exactly over it, so its edges are grid lines.
        if (model.Options.Proposal == ProposalKind.Uniform) (low, high) = (model.Options.UniformLow, model.Options.UniformHigh);
        context.Out.WriteLine($"normalising the density on a {points}×{points} grid over [{low:G4}, {high:G4}]² by quadrature and by importance sampling");
        using var generator = new Generator((ulong)seed, model.parameters().First().device);
        var grid = GridDensity.Evaluate(model, low, high, points, samples, new TrapezoidOptions { Tolerance = 1e-6 }, generator);
        return new GridMassReport(low, high, points, samples, grid.MassQuadrature, grid.MassImportance, grid.NotConverged);
    }

    private static NormalizerEstimator[] ParseEstimators(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException("--normalizers: name at least one of iid, stratified, quadrature.");
        var result = parts.Select(p => NormalizerOptions.Parse(p)).ToArray();
        if (result.Distinct().Count() != result.Length) throw new UsageException($"--normalizers: '{text}' names an estimator twice.");
        return result;
    }

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
            {
                throw new UsageException($"--sizes: '{parts[i]}' is not a positive whole number.");
            }
        }
        if (result.Length == 0) throw new UsageException("--sizes: give at least one sample count.");
        return result;
    }
}
