using Aem.Model;
using Aem.Training;

namespace Aem.Presets;

/// <summary>
/// Settings scaled to a user's table, for when no preset is named: the paper's presets were tuned for
/// hundreds of thousands of rows and a GPU, and on a table of a few hundred rows their batch of 512 does not
/// even fit (docs/data.md gives the rule's measurements). Smaller tables get a narrower model, smaller
/// batches, fewer mixture components, more dropout and a larger learning rate; larger ones approach the
/// paper's POWER preset.
/// </summary>
public static class TableDefaults
{
    /// <summary>The preset name recorded for runs that use these settings.</summary>
    public const string Name = "table";

    /// <summary>Energy-net rows (points × D) per step at most: a POWER-sized step.</summary>
    private const long StepRows = 512 * 8;

    /// <summary>Energy-net rows per validation at most: POWER's 4,096 points × 6 columns × (S + 1 = 101).</summary>
    private const long ValidationRows = 4096L * 6 * 101;

    /// <summary>The settings for <paramref name="trainRows"/> training rows of <paramref name="columns"/> values.</summary>
    /// <param name="trainRows">Rows in the training split (at least 2).</param>
    /// <param name="columns">D, values per row (at least 1).</param>
    /// <param name="steps">The step budget (default: a few epochs, between 2,000 and 20,000 steps).</param>
    public static AemSettings For(long trainRows, int columns, int? steps = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainRows, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        // Batches: about an eighth of the rows, a power of two between 8 and 512.
        int batch = (int)Math.Min(512, Math.Max(Math.Min(8, trainRows), PowerOfTwoAtMost(trainRows / 8)));
        // A step costs batch × D × (S + 1) energy-net rows: wide tables get smaller batches, so that a step
        // costs at most what a POWER step (512 × 8 columns) would. Measured: 63 columns at 512 per batch ran
        // at 0.1 steps/s on 2 cores.
        batch = (int)Math.Min(batch, Math.Max(Math.Min(8, trainRows), PowerOfTwoAtMost(StepRows / columns)));
        int hidden = trainRows < 2_000 ? 64 : trainRows < 20_000 ? 128 : trainRows < 200_000 ? 256 : 512;
        hidden = Math.Max(hidden, Math.Min(512, PowerOfTwoAtLeast(4 * columns)));
        int energy = trainRows < 2_000 ? 32 : trainRows < 20_000 ? 64 : 128;
        int context = trainRows < 2_000 ? 16 : trainRows < 20_000 ? 32 : 64;
        int components = trainRows < 2_000 ? 5 : trainRows < 20_000 ? 10 : 20;
        double dropout = trainRows < 2_000 ? 0.2 : trainRows < 20_000 ? 0.1 : 0.0;
        double learningRate = trainRows < 200_000 ? 1e-3 : 5e-4;
        // A few epochs, within bounds that keep a CPU run to minutes at these sizes.
        int budget = steps ?? (int)Math.Clamp(5 * trainRows / batch, 2_000, 20_000);
        var model = new AemOptions
        {
            Features = columns,
            HiddenFeatures = hidden,
            EnergyHiddenFeatures = energy,
            ContextFeatures = context,
            Components = components,
            Dropout = dropout,
        };
        int validateEvery = Math.Clamp((budget + 19) / 20, 1, 1000);
        // A validation scores points × D × (S + 1) energy-net rows: at most POWER's (4,096 points × 6 columns ×
        // 101). Wider tables validate with the authors' UCI setting S = 20 and, if need be, fewer points.
        // Measured: 4,096 points of 63 columns at S = 100 took 81 s on 2 cores, leaving a 2-minute budget 1 step.
        int validationSamples = 4096L * columns * 101 <= ValidationRows ? 100 : 20;
        int validationPoints = (int)Math.Clamp(ValidationRows / ((long)columns * (validationSamples + 1)), 64, 4096);
        var training = new TrainerOptions
        {
            BatchSize = batch,
            Steps = budget,
            // A warm-up in which only the proposal trains (2 % of the steps) lets it cover the data first.
            WarmupSteps = Math.Max(1, budget / 50),
            LearningRate = learningRate,
            ValidateEvery = validateEvery,
            ValidationPoints = validationPoints,
            Patience = PatienceFor(budget, validateEvery),
        };
        return new AemSettings(model, training, new AemObjectiveOptions { ValidationSamples = validationSamples });
    }

    /// <summary>The most epochs a time budget is filled with: a budget is a limit, not a target, on small tables.</summary>
    public const int MostEpochs = 1000;

    /// <summary>
    /// The most steps a time budget may plan for <paramref name="trainRows"/> rows in batches of
    /// <paramref name="batchSize"/>: <see cref="MostEpochs"/> epochs, and never fewer than the rule's 2,000 steps.
    /// Filling 10 minutes on a 122-row table planned 154,757 steps of 8 (10,000 epochs), and the model it kept
    /// scored −3.32 ± 1.40 against −2.01 ± 1.12 for 2 minutes.
    /// </summary>
    /// <param name="trainRows">Rows in the training split.</param>
    /// <param name="batchSize">Rows per step.</param>
    public static int MostSteps(long trainRows, int batchSize) =>
        (int)Math.Clamp(MostEpochs * trainRows / Math.Max(1, batchSize), 2_000, int.MaxValue);

    /// <summary>
    /// Early stopping's patience for a run of <paramref name="steps"/> validated every
    /// <paramref name="validateEvery"/>: a quarter of its validations, at least 3 — small tables overfit, and a
    /// run whose validation score has not improved for a quarter of its length has its best model already.
    /// </summary>
    public static int PatienceFor(int steps, int validateEvery) => Math.Max(3, (steps / Math.Max(1, validateEvery)) / 4);

    private static long PowerOfTwoAtMost(long n) => n < 1 ? 1 : 1L << (int)(63 - long.LeadingZeroCount(n));

    private static int PowerOfTwoAtLeast(int n) => n <= 1 ? 1 : 1 << (32 - int.LeadingZeroCount(n - 1));
}

