using Aem.Data;
using Aem.Model;
using Aem.Training;

namespace Aem.Presets;

/// <summary>
/// The settings of <c>aem demo</c>: a model narrower than the paper's (H 256, E 128), so that a step costs
/// about an eighth and the many more steps a few minutes allow learn the 2-D densities better than a wide
/// model does; and a larger learning rate than the paper's 5e-4, which a short run needs.
/// </summary>
public static class Demo
{
    /// <summary>The 2-D tasks the demo can run.</summary>
    public static IReadOnlyList<string> Tasks { get; } = [.. Synthetic2D.Names, DataCatalog.Einstein];

    /// <summary>The demo's architecture for <paramref name="task"/> (checkerboard: the paper's fixed uniform proposal).</summary>
    public static AemOptions Model(string task) => new()
    {
        Features = 2,
        HiddenFeatures = 64,
        EnergyHiddenFeatures = 32,
        Proposal = task == "checkerboard" ? ProposalKind.Uniform : ProposalKind.MixtureOfGaussians,
        Components = task == "checkerboard" ? 0 : 10,
    };

    /// <summary>The demo's schedule for <paramref name="steps"/> steps.</summary>
    /// <param name="task">One of <see cref="Tasks"/>: spirals gets a warm-up of 1/80 of the steps, the others none.</param>
    /// <param name="steps">The step budget; validation runs about twelve times over it.</param>
    /// <param name="seed">Seeds batches, dropout and importance samples.</param>
    /// <param name="budget">Stop after this much wall time (null: no limit).</param>
    public static TrainerOptions Training(string task, int steps, long seed, TimeSpan? budget = null) => new()
    {
        BatchSize = 128,
        Steps = steps,
        WarmupSteps = task == "spirals" ? Math.Max(1, steps / 80) : 0,
        LearningRate = 1e-3,
        ValidateEvery = Math.Max(1, steps / 12),
        ValidationPoints = 2048,
        CheckpointEvery = 0,
        MaxDuration = budget,
        Seed = seed,
    };

    /// <summary>The demo's objective: the paper's S = 20 in training, S = 100 in validation.</summary>
    public static AemObjectiveOptions Objective() => new() { ValidationSamples = 100 };

    /// <summary>The demo's data: the task's 10⁶ training points and 10⁵ each held out, generated from <paramref name="seed"/>.</summary>
    /// <param name="task">One of <see cref="Tasks"/>.</param>
    /// <param name="seed">Seeds the generated points.</param>
    public static DataRequest Data(string task, long seed) =>
        new() { Dataset = task, SyntheticTrainPoints = 1_000_000, SyntheticHeldOutPoints = 100_000, Seed = (int)seed };
}
