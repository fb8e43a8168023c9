using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aem.Cli.Output;
using Aem.Cli.Plotting;
using Aem.Cli.Parsing;
using Aem.Evaluation;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem figure 2</c>: the paper's figure 2, which needs no trained model: importance-sampling estimates of
/// log Z for spherical Gaussians (target σ = 1, proposal σ = 1.25, 20 samples, 50 trials) against dimension.
/// The figures of trained models come from <c>aem plot</c> (4a, 4b) and <c>aem calibrate</c> (5).
/// </summary>
internal static class FigureCommand
{
    public const string PngFile = "figure2.png";
    public const string JsonFile = "figure2.json";

    public static Command Create(CliContext context)
    {
        var command = new Command("figure", "Draw a paper figure that needs no trained model: 'aem figure 2' (importance sampling against dimension) " +
            "writes figure2.png and figure2.json. For figures 4a/4b use 'aem plot', for figure 5 'aem calibrate'.");
        var number = new Argument<string>("figure") { Description = "Which figure: 2." };
        var dimensions = new Option<string>("--dimensions")
        {
            Description = "Comma-separated dimensions.",
            DefaultValueFactory = _ => string.Join(",", ImportanceSamplingDimensionStudy.DefaultDimensions),
        };
        var trials = new Option<int>("--trials") { Description = "Estimates per dimension (the paper: 50).", DefaultValueFactory = _ => 50 };
        var samples = new Option<int>("--samples", "-S") { Description = "Importance samples per estimate (the paper: 20).", DefaultValueFactory = _ => 20 };
        command.Add(number);
        command.Add(dimensions);
        command.Add(trials);
        command.Add(samples);
        var common = CommonOptions.AddTo(command, "Folder for figure2.png and figure2.json (default: the current folder).");
        command.SetAction(result =>
        {
            string which = result.GetValue(number)!;
            if (which != "2")
            {
                throw new UsageException($"figure '{which}': 'aem figure' draws figure 2 only; figures 4a and 4b come from 'aem plot', figure 5 from 'aem calibrate'.");
            }
            common.ApplyRuntime(result);
            var dims = ParseDimensions(result.GetValue(dimensions)!);
            int t = result.GetValue(trials), s = result.GetValue(samples);
            if (t < 1) throw new UsageException($"--trials must be at least 1 (got {t}).");
            if (s < 1) throw new UsageException($"--samples must be at least 1 (got {s}).");
            long seed = result.GetValue(common.Seed);
            var study = ImportanceSamplingDimensionStudy.Run(dims, t, s, seed: seed);

            using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? ".");
            AtomicFile.WriteAllText(folder.File(JsonFile), JsonSerializer.Serialize(new { Trials = t, Samples = s, Seed = seed, TargetScale = 1.0, ProposalScale = 1.25, Results = study }, JsonFiles.Options));
            BoxFigurePlot.Save(
                study.Select(r => (r.Dimension.ToString(CultureInfo.InvariantCulture), r.LogZHat)).ToArray(),
                0,
                "true log Z = 0",
                $"Importance-sampling estimates of log Z ({t} trials of {s} samples; target σ = 1, proposal σ = 1.25)",
                "dimension",
                "log Ẑ",
                folder.File(PngFile));
            folder.Keep();
            context.Out.WriteLine("dimension   5th pct    median  95th pct");
            foreach (var r in study)
            {
                context.Out.WriteLine($"{r.Dimension,9} {r.Percentile(5),9:0.000} {r.Percentile(50),9:0.000} {r.Percentile(95),9:0.000}");
            }
            context.Out.WriteLine($"wrote {folder.File(PngFile)} and {folder.File(JsonFile)}");
            return Cli.Ok;
        });
        return command;
    }

    private static int[] ParseDimensions(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
            {
                throw new UsageException($"--dimensions: '{parts[i]}' is not a positive whole number.");
            }
        }
        if (result.Length == 0) throw new UsageException("--dimensions: give at least one dimension.");
        return result;
    }
}
