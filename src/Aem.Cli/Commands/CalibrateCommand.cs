using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aem.Checkpoints;
using Aem.Cli.Output;
using Aem.Cli.Plotting;
using Aem.Cli.Running;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem calibrate</c>: compares a checkpoint's importance-sampling normalising constants with converged
/// quadrature on randomly chosen conditionals (paper §4.2, figure 5); writes calibration.json,
/// calibration.md and figure5.png.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("calibrate", "Check a trained AEM's normalising constants (paper §4.2, figure 5): integrate each chosen conditional's " +
            "energy by a log-trapezoid rule to seven figures and compare with importance-sampling estimates for several S. " +
            "Writes calibration.json, calibration.md and figure5.png.");
        var checkpoint = CheckpointOptions.Create();
        var conditionals = new Option<int>("--conditionals") { Description = "Conditionals to test (the paper: 1,000).", DefaultValueFactory = _ => 1000 };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated importance-sample counts S.", DefaultValueFactory = _ => "1,10,100,1000,10000" };
        var tolerance = new Option<double>("--tolerance") { Description = "Stop doubling the grid when |Δ log Z| ≤ this (5e-8: seven significant figures of Z).", DefaultValueFactory = _ => 5e-8 };
        var maxGrid = new Option<int>("--max-grid") { Description = "Give up on a conditional beyond this many grid points.", DefaultValueFactory = _ => (1 << 20) + 1 };
        command.Add(checkpoint);
        command.Add(conditionals);
        command.Add(sizes);
        command.Add(tolerance);
        command.Add(maxGrid);
        var gridMass = new Option<bool>("--grid-mass")
        {
            Description = "2-D models: also normalise the density on a 201×201 grid over the data's box (a uniform proposal: its square) by quadrature and by importance sampling " +
                "(S = 1,000, as the paper's figure 4a) and report the total mass of each.",
        };
        command.Add(gridMass);
        var common = CommonOptions.AddTo(command, "Folder for calibration.json, calibration.md and figure5.png (default: the run folder).");
        var data = DataOptions.AddTo(command);
        command.SetAction(result =>
        {
            var (device, _) = common.ApplyRuntime(result);
            long seed = result.GetValue(common.Seed);
            var options = new CalibrationOptions
            {
                Conditionals = result.GetValue(conditionals),
                SampleSizes = ParseSizes(result.GetValue(sizes)!),
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
            var location = CheckpointLocation.Resolve(result.GetValue(checkpoint)!);
            var manifest = Checkpoint.ReadManifest(location.Checkpoint);
            if (manifest.Model.Features < 2)
            {
                throw new UsageException($"{location.Checkpoint}: the model has D = 1; calibration tests conditionals with d ≥ 2 (the paper skips p(x1)).");
            }
            bool withGridMass = result.GetValue(gridMass);
            if (withGridMass && manifest.Model.Features != 2)
            {
                throw new UsageException($"--grid-mass needs a 2-D model; {location.Checkpoint} has D = {manifest.Model.Features}.");
            }
            var spec = EvaluateCommand.DataFor(result, data, location, seed);
            using var dataSet = CheckpointData.InModelUnits(spec, manifest, location.Checkpoint);
            var (model, _) = Checkpoint.Load(location.Checkpoint, device);
            var clock = Stopwatch.StartNew();
            CalibrationResult calibration;
            GridMassReport? mass = null;
            using (model)
            {
                context.Out.WriteLine($"calibrating {options.Conditionals:N0} conditionals of {location.Checkpoint} (S = {string.Join(", ", options.SampleSizes)})");
                calibration = NormalizerCalibration.Run(model, dataSet.Validation, options, new Progress<EvaluationProgress>(p =>
                    context.Out.WriteLine($"{p.Stage}: {p.Done:N0}/{p.Total:N0} done ({Durations.Format(clock.Elapsed)})")));
                if (withGridMass) mass = GridMass(context, model, dataSet.Validation, seed);
            }
            var report = new CalibrationReport
            {
                Checkpoint = location.Checkpoint,
                Step = manifest.State?.Step ?? 0,
                Data = TrainingSession.Describe(spec),
                Options = options,
                Result = calibration,
                GridMass = mass,
                Seconds = clock.Elapsed.TotalSeconds,
            };
            using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? location.DefaultOutput);
            report.Save(folder.Path);
            BoxFigurePlot.Save(
                calibration.SampleSizes.Select((s, k) => (
                    s.ToString("N0", CultureInfo.InvariantCulture),
                    (IReadOnlyList<double>)calibration.RelativeErrors(k).Select(r => Math.Log10(Math.Abs(r))).ToArray())).ToArray(),
                null,
                "",
                $"Normalising constants of {report.Data}: relative error of Ẑ against quadrature",
                "importance samples S",
                "log₁₀ |Ẑ/Z − 1|",
                folder.File(CalibrationReport.PngFile));
            folder.Keep();
            context.Out.WriteLine("        S   5th pct    median  95th pct   (r = Ẑ/Z − 1)");
            foreach (var s in calibration.Summaries)
            {
                context.Out.WriteLine($"{s.Samples,9:N0} {s.P5,9:G3} {s.P50,9:G3} {s.P95,9:G3}");
            }
            if (mass is not null)
            {
                context.Out.WriteLine($"grid [{mass.Low:G4}, {mass.High:G4}]²: mass {mass.MassQuadrature:0.00000} (quadrature), {mass.MassImportance:0.00000} (importance sampling, S = {mass.Samples:N0})");
            }
            if (calibration.NotConverged > 0) context.Out.WriteLine($"{calibration.NotConverged:N0} quadratures did not converge and are left out (raise --max-grid).");
            context.Out.WriteLine($"wrote {folder.File(CalibrationReport.JsonFile)}, {folder.File(CalibrationReport.MarkdownFile)} and {folder.File(CalibrationReport.PngFile)}");
            return Cli.Ok;
        });
        return command;
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
