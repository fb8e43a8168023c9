using System.CommandLine;
using System.Text.Json;
using Aem.Checkpoints;
using Aem.Cli.Running;

namespace Aem.Cli.Commands;

/// <summary><c>aem info</c>: what a checkpoint or run folder holds — data, settings, step, scores.</summary>
public static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "Describe a checkpoint or run folder: its data, model and training settings, step, best score and recent validations.");
        var checkpoint = CheckpointOptions.Create();
        var json = new Option<bool>("--json") { Description = "Print the checkpoint manifest(s) and run configuration as JSON." };
        var history = new Option<int>("--history") { Description = "Validations to list (most recent).", DefaultValueFactory = _ => 5 };
        command.Add(checkpoint);
        command.Add(json);
        command.Add(history);
        command.SetAction(result =>
        {
            string path = result.GetValue(checkpoint)!;
            var location = CheckpointLocation.Resolve(path);
            var checkpoints = Checkpoints(location);
            if (result.GetValue(json))
            {
                var document = new
                {
                    location.Run,
                    Config = location.Config,
                    Checkpoints = checkpoints.ToDictionary(c => c.Name, c => c.Manifest),
                };
                context.Out.WriteLine(JsonSerializer.Serialize(document, RunConfig.Json));
                return Cli.Ok;
            }
            Describe(context.Out, location, checkpoints, result.GetValue(history));
            return Cli.Ok;
        });
        return command;
    }

    private static List<(string Name, string Path, CheckpointManifest Manifest)> Checkpoints(CheckpointLocation location)
    {
        var found = new List<(string, string, CheckpointManifest)>();
        if (location.Run is { } run)
        {
            foreach (var name in new[] { "last", "best" })
            {
                string dir = Path.Combine(run, name);
                if (!Directory.Exists(dir) && !Directory.Exists(Path.Combine(run, $".{name}.old"))) continue;
                found.Add((name, dir, Checkpoint.ReadManifest(dir)));
            }
        }
        if (found.Count == 0) found.Add((Path.GetFileName(location.Checkpoint), location.Checkpoint, Checkpoint.ReadManifest(location.Checkpoint)));
        return found;
    }

    private static void Describe(TextWriter o, CheckpointLocation location, List<(string Name, string Path, CheckpointManifest Manifest)> checkpoints, int historyCount)
    {
        if (location.Run is { } run) o.WriteLine($"run folder  {run}");
        if (location.Config is { } config)
        {
            o.WriteLine($"command     {string.Join(' ', config.CommandLine)}");
            o.WriteLine($"preset      {config.Preset}   threads {config.Threads}   device {config.Device}   created {config.CreatedAt:u}");
        }
        var main = checkpoints[0].Manifest;
        o.WriteLine($"data        {main.Data ?? "(not recorded)"}{(main.Standardizer is null ? "" : "  (standardised; mean and scale stored in the checkpoint)")}");
        o.WriteLine($"model       D = {main.Model.Features}, {TrainCommand.Describe(main.Model)}, {main.Model.ResMadeBlocks}+{main.Model.EnergyBlocks} residual blocks, energy activation {main.Model.EnergyActivation}, {main.DType}");
        if (main.Training is { } t)
        {
            o.WriteLine($"training    {t.Steps:N0} steps of {t.BatchSize}, warm-up {t.WarmupSteps:N0}, lr {t.LearningRate:G3} (cosine), S = {t.TrainingSamples} (validation S = {t.ValidationSamples}, " +
                $"every {t.ValidateEvery:N0} steps), seed {t.Seed}{(t.GradientClipNorm is { } c ? $", clip {c:G3}" : "")}{(t.Patience is { } p ? $", patience {p}" : "")}");
        }
        foreach (var (name, path, manifest) in checkpoints)
        {
            var state = manifest.State;
            string best = state?.BestScore is { } b ? $"best validation {b:0.0000} at step {state.BestStep:N0}" : "no validation score yet";
            o.WriteLine($"{name,-11} {path}: step {state?.Step ?? 0:N0}, {best}, trained {Durations.Format(TimeSpan.FromSeconds(state?.TrainingSeconds ?? 0))}, saved {manifest.SavedAt:u}");
        }
        var history = checkpoints.Select(c => c.Manifest.State).OfType<Training.TrainingState>().MaxBy(s => s.Step)?.History ?? [];
        if (history.Count == 0 || historyCount <= 0) return;
        o.WriteLine("recent validations (nats per point):");
        o.WriteLine("        step   val log p̂   val log q   train log p̂   train log q");
        foreach (var s in history.TakeLast(historyCount))
        {
            o.WriteLine($"  {s.Step,10:N0}   {Number(s.LogDensity),9}   {Number(s.LogProposal),9}   {Number(s.TrainLogDensity),11}   {Number(s.TrainLogProposal),11}");
        }
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.0000") : "—";
}
