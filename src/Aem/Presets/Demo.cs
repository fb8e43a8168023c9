using Aem.Data;
using Aem.Model;
using Aem.Training;

namespace Aem.Presets;

/// <summary>
/// The settings of <c>aem demo</c>: a model narrower than the paper's (H 64, E 32 against 256 and 128), so that
/// a step is cheap, trained for a fixed number of steps so that a seed gives the same run on every machine.
/// Batches of 512 with a learning rate of 2e-3, ramped up over the first 300 steps, learn as much from
/// 4,000 steps as batches of 128 at 1e-3 do from far more (docs/reproducing.md has the measurements), and a
/// batch of 512 costs about twice one of 128 for a model this small, whose steps are bound by per-operation
/// overhead rather than arithmetic.
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

    /// <summary>The demo's fixed step count: the same work, and so the same result for a seed, on any machine.</summary>
    public const int Steps = 4000;

    /// <summary>The demo's batch size.</summary>
    public const int BatchSize = 512;

    /// <summary>The demo's schedule for <paramref name="steps"/> steps.</summary>
    /// <param name="task">One of <see cref="Tasks"/>.</param>
    /// <param name="steps">The step budget (the cosine anneals over it).</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="budget">An optional wall-time limit.</param>
    public static TrainerOptions Training(string task, int steps, long seed, TimeSpan? budget = null) =>
        new()
        {
            BatchSize = BatchSize,
            Steps = steps,
            // A mixture proposal first trains alone for a quarter of the run, as the authors' warm-up does: with
            // 75 steps or none the energy net learned to exploit a proposal that did not yet cover the data (its
            // normaliser's samples missed the spirals: log p̂ +905 at step 300, then divergence). The uniform
            // proposal has no parameters to warm up.
            WarmupSteps = task == "checkerboard" ? 0 : Math.Max(1, steps / 4),
            LearningRate = 2e-3,
            LearningRateRampSteps = Math.Min(300, steps / 10),
            ValidateEvery = Math.Max(1, steps / 12),
            ValidationPoints = 2048,
            CheckpointEvery = 0,
            MaxDuration = budget,
            Seed = seed,
        };

    /// <summary>The demo's objective: the paper's S = 20 in training, S = 100 in validation.</summary>
    public static AemObjectiveOptions Objective() => new()
    {
        ValidationSamples = 100,
        // Two pieces per batch (not the default's six): a model this small is bound by per-operation
        // overhead, and two pieces can run on two workers.
        MicroBatchRows = BatchSize * 2 * 21 / 2,
    };

    /// <summary>The demo's data: the task's 10⁶ training points and 10⁵ each held out, generated from <paramref name="seed"/>.</summary>
    /// <param name="task">One of <see cref="Tasks"/>.</param>
    /// <param name="seed">Seeds the generated points.</param>
    public static DataRequest Data(string task, long seed) =>
        new() { Dataset = task, SyntheticTrainPoints = 1_000_000, SyntheticHeldOutPoints = 100_000, Seed = (int)seed };
}
