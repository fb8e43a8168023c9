using Aem.Model;
using Aem.Runs;
using Aem.Training;
using TorchSharp;

namespace Aem.Tests.Checkpoints;

/// <summary>Saves and loads single checkpoints through the one store, as a trainer would.</summary>
internal static class TestCheckpoints
{
    /// <summary>A run record for <paramref name="options"/> with default training settings.</summary>
    public static RunFile Record(AemOptions options) => new() { Model = options, Training = new TrainerOptions() };

    public static void Save(string directory, AutoregressiveEnergyMachine model, torch.optim.Optimizer? optimizer, RunFile record) =>
        CheckpointStore.Save(directory, model, optimizer, (files, dtype) => record with { Files = files, DType = dtype, SavedAt = DateTimeOffset.UtcNow });

    public static (AutoregressiveEnergyMachine Model, RunFile Record) Load(string directory)
    {
        var run = SavedRun.Open(directory);
        return (run.LoadModel(), run.File);
    }
}
