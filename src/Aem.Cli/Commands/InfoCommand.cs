using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Runs;

namespace Aem.Cli.Commands;

/// <summary><c>aem info</c>: what a checkpoint or run folder holds — data, settings, step, scores.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "Describe a checkpoint or run folder: its data, model and training settings, step, best score and recent validations.");
        var checkpoint = CheckpointOptions.Create();
        var json = new Option<bool>("--json") { Description = "Print the run records (run.json) of the run's checkpoints as JSON." };
        var history = new Option<int>("--history") { Description = "Validations to list (most recent).", DefaultValueFactory = _ => 5 };
        command.Add(checkpoint);
        command.Add(json);
        command.Add(history);
        command.SetAction(result =>
        {
            var run = SavedRun.Open(result.GetValue(checkpoint)!);
            var checkpoints = Checkpoints(run);
            if (result.GetValue(json))
            {
                var document = new { run.Folder, Checkpoints = checkpoints.ToDictionary(c => c.Name, c => c.File) };
                context.Out.WriteLine(JsonSerializer.Serialize(document, JsonFiles.Options));
                return Cli.Ok;
            }
            Describe(context.Out, run, checkpoints, result.GetValue(history));
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>The run's checkpoints (last, then best) or the one checkpoint given.</summary>
    private static List<(string Name, string Path, RunFile File)> Checkpoints(SavedRun run)
    {
        var found = new List<(string, string, RunFile)>();
        if (run.Folder is { } folder)
        {
            foreach (var name in new[] { RunLayout.Last, RunLayout.Best })
            {
                string dir = Path.Combine(folder, name);
                if (dir == run.Checkpoint) found.Add((name, dir, run.File));
                else if (Directory.Exists(dir) || Directory.Exists(Path.Combine(folder, $".{name}.old"))) found.Add((name, dir, SavedRun.Open(dir).File));
            }
        }
        if (found.Count == 0) found.Add((Path.GetFileName(run.Checkpoint), run.Checkpoint, run.File));
        return found;
    }

    private static void Describe(TextWriter o, SavedRun run, List<(string Name, string Path, RunFile File)> checkpoints, int historyCount)
    {
        var main = checkpoints[0].File;
        if (run.Folder is { } folder) o.WriteLine($"run folder  {folder}");
        if (main.Provenance is { } p)
        {
            if (p.CommandLine.Count > 0) o.WriteLine($"command     {string.Join(' ', p.CommandLine)}");
            o.WriteLine($"preset      {main.PresetName ?? "(none)"}   threads {p.Threads}   device {p.Device}   created {p.CreatedAt:u}");
        }
        o.WriteLine($"data        {main.DataName}{(main.Standardizer is null ? "" : "  (standardised; mean and scale stored in the checkpoint)")}");
        o.WriteLine($"model       D = {main.Model.Features}, {main.Model.Describe()}, {main.Model.ResMadeBlocks}+{main.Model.EnergyBlocks} residual blocks, energy activation {main.Model.EnergyActivation}, {main.DType}");
        var t = main.Training;
        o.WriteLine($"training    {t.Steps:N0} steps of {t.BatchSize}, warm-up {t.WarmupSteps:N0}, lr {t.LearningRate:G3} (cosine), S = {main.Objective.TrainingSamples} (validation S = {main.Objective.ValidationSamples}, " +
            $"every {t.ValidateEvery:N0} steps), seed {t.Seed}{(t.GradientClipNorm is { } c ? $", clip {c:G3}" : "")}{(t.Patience is { } patience ? $", patience {patience}" : "")}");
        foreach (var (name, path, file) in checkpoints)
        {
            var state = file.State;
            string best = state.BestScore is { } b ? $"best validation {b:0.0000} at step {state.BestStep:N0}" : "no validation score yet";
            o.WriteLine($"{name,-11} {path}: step {state.Step:N0}, {best}, trained {Durations.Format(TimeSpan.FromSeconds(state.TrainingSeconds))}, saved {file.SavedAt:u}");
        }
        var history = checkpoints.Select(c => c.File.State).MaxBy(s => s.Step)?.History ?? [];
        if (history.Count == 0 || historyCount <= 0) return;
        o.WriteLine("recent validations (nats per point):");
        o.WriteLine("        step   val log p̂   val log q   train log p̂   train log q");
        foreach (var s in history.TakeLast(historyCount))
        {
            o.WriteLine($"  {s.Step,10:N0}   {Number(s.LogDensity),9}   {Number(s.LogProposal),9}   {Number(s.TrainLogDensity),11}   {Number(s.TrainLogProposal),11}");
        }
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
}
