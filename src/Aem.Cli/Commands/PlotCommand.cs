using System.CommandLine;
using Aem.Checkpoints;
using Aem.Cli.Output;
using Aem.Cli.Plotting;
using Aem.Cli.Running;
using Aem.Data;

namespace Aem.Cli.Commands;

/// <summary><c>aem plot</c>: the paper's figures for a checkpoint (figure 4a and 4b for 2-D models; training curves for any).</summary>
public static class PlotCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("plot", "Draw the paper's figures for a trained model as PNG: figure4a.png (data, proposal and AEM densities " +
            "and samples) and conditionals.png (p(x2 | x1) slices) for 2-D models, and training-curves.png for any model.");
        var checkpoint = CheckpointOptions.Create();
        var samples = new Option<int>("--samples", "-S") { Description = "Importance samples S per normaliser for the density panels (the paper: 1,000).", DefaultValueFactory = _ => 1000 };
        var points = new Option<long>("--points") { Description = "Points per histogram (data, proposal samples, AEM samples).", DefaultValueFactory = _ => 100_000 };
        var grid = new Option<int>("--grid") { Description = "Grid values per axis for the density panels.", DefaultValueFactory = _ => 200 };
        var slices = new Option<int>("--slices") { Description = "Number of x1 values in conditionals.png.", DefaultValueFactory = _ => 6 };
        var candidates = new Option<int>("--proposal-samples") { Description = "Proposal samples per dimension behind each AEM sample (the paper: 100).", DefaultValueFactory = _ => 100 };
        command.Add(checkpoint);
        command.Add(samples);
        command.Add(points);
        command.Add(grid);
        command.Add(slices);
        command.Add(candidates);
        var common = CommonOptions.AddTo(command, "Folder for the PNG files (default: the run folder's figures/).");
        var data = DataOptions.AddTo(command);
        command.SetAction(result =>
        {
            var settings = new FigureSettings(
                result.GetValue(samples), result.GetValue(points), result.GetValue(grid), result.GetValue(slices), result.GetValue(candidates), result.GetValue(common.Seed));
            Validate(settings);
            FigureFonts.Ensure();
            var (device, _) = common.ApplyRuntime(result);
            var location = CheckpointLocation.Resolve(result.GetValue(checkpoint)!);
            var manifest = Checkpoint.ReadManifest(location.Checkpoint);
            bool twoDimensional = manifest.Model.Features == 2;
            DataSpec? spec = twoDimensional ? EvaluateCommand.DataFor(result, data, location, settings.Seed) : null;
            using var dataSet = spec is null ? null : CheckpointData.InDataUnits(spec, manifest, location.Checkpoint);
            string name = spec?.Name ?? location.Config?.Data.Name ?? manifest.Data ?? "model";
            using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? Path.Combine(location.DefaultOutput, "figures"));
            var written = new List<string>();
            if (dataSet is not null)
            {
                var (model, _) = Checkpoint.Load(location.Checkpoint, device);
                using (model)
                {
                    written.AddRange(FigureMaker.DensityFigures(context, model, manifest.Standardizer, dataSet.Train, name, settings, folder.Path));
                }
            }
            else
            {
                context.Out.WriteLine($"the model has D = {manifest.Model.Features}: figure 4a and the conditionals need D = 2; drawing the training curves only.");
            }
            double? truth = string.Equals(spec?.BuiltInName, "checkerboard", StringComparison.Ordinal) ? Synthetic2D.CheckerboardLogDensity : null;
            written.Add(FigureMaker.Curves(FigureMaker.HistorySource(location, manifest), name, truth, folder.Path));
            folder.Keep();
            foreach (var file in written) context.Out.WriteLine($"wrote {file}");
            return Cli.Ok;
        });
        return command;
    }

    private static void Validate(FigureSettings s)
    {
        if (s.Samples < 1) throw new UsageException($"--samples must be at least 1 (got {s.Samples}).");
        if (s.Points < 1) throw new UsageException($"--points must be at least 1 (got {s.Points}).");
        if (s.Grid < 2) throw new UsageException($"--grid must be at least 2 (got {s.Grid}).");
        if (s.Slices < 1) throw new UsageException($"--slices must be at least 1 (got {s.Slices}).");
        if (s.ProposalSamples < 1) throw new UsageException($"--proposal-samples must be at least 1 (got {s.ProposalSamples}).");
    }
}
