using Aem.Training;

namespace Aem;

/// <summary>How <see cref="AemModel.Fit(double[,], AemFitOptions?, IProgress{TrainingProgress{AemStep, ValidationScore}}?, CancellationToken)"/> trains. Every setting has a default scaled to the data.</summary>
public sealed record AemFitOptions
{
    /// <summary>A wall-time budget for the whole fit (splitting, planning, training and checkpoints). Without a
    /// <see cref="Preset"/>, at most <see cref="Presets.TableDefaults.MostEpochs"/> epochs are planned (the budget is then only a
    /// limit); otherwise the step count is fitted to it and re-fitted from the measured speed after a fifth of it.
    /// Null: a step budget.</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>Training steps (default: scaled to the table, see <see cref="Presets.TableDefaults"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>A paper preset to start from ("power", "spirals", ...) instead of the table-scaled settings.</summary>
    public string? Preset { get; init; }

    /// <summary>Seeds the split, the model's initial weights and every draw of training.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Standardise each column on the training rows (recommended; scores and samples stay in your units either way).</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>The share of the rows held out to choose the best model and to stop early.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Stop after this many validations without improvement (null: the default for the settings,
    /// a quarter of the planned validations and at least three for a table; never for a paper preset).</summary>
    public int? Patience { get; init; }

    /// <summary>Names of the columns, kept with the model (for its samples and scored files).</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>Names of a conditional model's context columns, kept with the model.</summary>
    public IReadOnlyList<string>? ContextColumnNames { get; init; }

    /// <summary>Where to keep the run (checkpoints, record); null: a temporary folder removed when the model is disposed.</summary>
    public string? RunFolder { get; init; }

    /// <summary>The compute device: "cpu", "cuda" or "cuda:N" (CUDA needs a CUDA build of TorchSharp).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// libtorch's intra-op threads for the process (a process-wide setting), with one training worker. Null: the
    /// cores other work is not using, read when the fit starts (<see cref="Runtime.TorchRuntime.FreeCores"/>), and
    /// a few seconds timing those as intra-op threads, one thread, and two workers of one thread, keeping the
    /// fastest (<see cref="AemModel.Compute"/> says which); more threads than free cores makes training many times slower.
    /// </summary>
    public int? Threads { get; init; }
}
