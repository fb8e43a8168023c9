using System.CommandLine;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Plotting;
using Aem.Data;
using Aem.Runs;

namespace Aem.Cli.Commands;

/// <summary><c>aem plot</c>: the paper's figures for a checkpoint (figure 4a and 4b for 2-D models; training curves for any).</summary>
internal sealed class PlotCommand
{
    private readonly CliContext context;
    private readonly Option<string> checkpoint = CheckpointOptions.Create();
    private readonly Option<int> samples = new("--samples", "-S") { Description = "Importance samples S per normaliser for the density panels (the paper: 1,000).", DefaultValueFactory = _ => 1000 };
    private readonly Option<long> points = new("--points") { Description = "Points per histogram (data, proposal samples, AEM samples).", DefaultValueFactory = _ => 100_000 };
    private readonly Option<int> grid = new("--grid") { Description = "Grid values per axis for the density panels.", DefaultValueFactory = _ => 200 };
    private readonly Option<int> slices = new("--slices") { Description = "Number of x1 values in conditionals.png.", DefaultValueFactory = _ => 6 };
    private readonly Option<int> candidates = new("--proposal-samples") { Description = "Proposal samples per dimension behind each AEM sample (the paper: 100).", DefaultValueFactory = _ => 100 };
    private readonly CommonOptions common;
    private readonly DataOptions data;

    private PlotCommand(CliContext context, Command command)
    {
        this.context = context;
        foreach (var option in new Option[] { checkpoint, samples, points, grid, slices, candidates }) command.Add(option);
        common = CommonOptions.AddTo(command, "Folder for the PNG files (default: the run folder's figures/).");
        data = DataOptions.AddTo(command);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("plot", "Draw the paper's figures for a trained model as PNG: figure4a.png (data, proposal and AEM densities " +
            "and samples) and conditionals.png (p(x2 | x1) slices) for 2-D models, context-conditionals.png (p(x1 | c) at --slices contexts) " +
            "for conditional models, and training-curves.png for any model.");
        var handler = new PlotCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        var settings = new FigureSettings(
            result.GetValue(samples), result.GetValue(points), result.GetValue(grid), result.GetValue(slices), result.GetValue(candidates), result.GetValue(common.Seed));
        Validate(settings);
        FigureFonts.Ensure();
        var (device, _) = common.ApplyRuntime(result);
        var run = SavedRun.Open(result.GetValue(checkpoint)!);
        bool conditional = run.File.Model.ConditioningFeatures > 0;
        bool twoDimensional = run.File.Model.Features == 2 && !conditional;
        var request = twoDimensional || conditional ? data.ForRun(result, run, settings.Seed) : null;
        using var dataSet = request is null ? null : run.LoadDataInDataUnits(request);
        string name = request?.Name ?? run.File.Data?.Name ?? run.File.DataName;
        if (!twoDimensional && !conditional)
        {
            context.Out.WriteLine($"the model has D = {run.File.Model.Features}: figure 4a and the conditionals need D = 2; drawing the training curves only.");
        }
        double? truth = request?.BuiltInName == "checkerboard" ? Synthetic2D.CheckerboardLogDensity : null;
        Func<double, double[], double>? conditionalTruth = request?.BuiltInName == ConditionalSine.Name
            ? (x1, c) => Math.Exp(ConditionalSine.LogDensityX1(x1, c[0]))
            : null;
        using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? Path.Combine(run.ResultsFolder, "figures"));
        var written = FigureMaker.All(context, run, dataSet?.Train, name, truth, settings, folder.Path, device, conditionalTruth);
        folder.Keep();
        foreach (var file in written) context.Out.WriteLine($"wrote {file}");
        return Cli.Ok;
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
