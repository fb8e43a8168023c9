using System.Diagnostics;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// Training for a wall-time budget. The cosine schedule needs the total number of steps in advance, so
/// the steps are first planned from a short timing probe (<c>Plan</c>); since a probe can be off by
/// a factor of two on a busy machine, <see cref="Run{TStep, TScore}"/> re-plans the total from the speed of
/// the run itself after a fifth of the budget and continues with the same weights and optimiser moments.
/// </summary>
public static class TimeBudget
{
    /// <summary>Share of the budget planned for, leaving room for the run's start and end.</summary>
    private const double Usable = 0.97;

    /// <summary>Seconds to warm up and to time the probe: 2 % of the budget each, between 0.1 and 2.5 s.</summary>
    internal static double ProbeSeconds(TimeSpan budget) => Math.Clamp(0.02 * budget.TotalSeconds, 0.1, 2.5);

    /// <summary>
    /// Times a few steps and one validation of a throwaway model of <paramref name="model"/> on
    /// <paramref name="device"/> and plans the steps (and, unless <paramref name="validateEvery"/> is given, the validation cadence) for
    /// <paramref name="budget"/>: validations get at most a tenth of it, and at most <paramref name="mostValidations"/>.
    /// </summary>
    /// <param name="model">The architecture to time (a throwaway model is built from it and disposed).</param>
    /// <param name="device">Where to time it (null: the CPU).</param>
    /// <param name="options">The schedule the run will use (batch size, validation points and cadence).</param>
    /// <param name="objective">The objective's settings (importance samples in training and validation).</param>
    /// <param name="train">Training points <c>[N, D]</c> in the model's units.</param>
    /// <param name="validation">Validation points <c>[N, D]</c>, or null for a run without validation.</param>
    /// <param name="budget">The wall time for the whole training (positive).</param>
    /// <param name="validateEvery">Keep this validation cadence instead of planning one.</param>
    /// <param name="mostValidations">The most validations to plan.</param>
    /// <returns>The steps, the validation cadence and the measured speed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is not positive.</exception>
    public static BudgetPlan Plan(
        AemOptions model,
        Device? device,
        TrainerOptions options,
        AemObjectiveOptions objective,
        Tensor train,
        Tensor? validation,
        TimeSpan budget,
        int? validateEvery = null,
        int mostValidations = 20)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (budget <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(budget), budget, "The time budget must be positive.");
        var probe = options with { ValidateEvery = validateEvery ?? Math.Max(1, options.ValidateEvery) };
        double seconds = ProbeSeconds(budget);
        var speed = SpeedEstimate.Measure(
            () =>
            {
                var probeModel = new AutoregressiveEnergyMachine(model);
                if (device is not null) probeModel.to(device);
                return probeModel;
            },
            probe, objective, train, validation, probeSeconds: seconds, warmSeconds: seconds);
        return Plan(speed, budget, validateEvery, mostValidations);
    }

    /// <summary>The steps and validation cadence that fit <paramref name="budget"/> at <paramref name="speed"/>.</summary>
    internal static BudgetPlan Plan(SpeedEstimate speed, TimeSpan budget, int? validateEvery = null, int mostValidations = 20)
    {
        ArgumentNullException.ThrowIfNull(speed);
        var usable = budget * Usable;
        if (validateEvery is { } every) return new BudgetPlan(speed.StepsWithinValidatingEvery(usable, every), every, speed);
        int validations = speed.AffordableValidations(usable, most: mostValidations);
        int steps = speed.StepsWithin(usable, validations);
        return new BudgetPlan(steps, Math.Max(1, (steps + validations - 1) / validations), speed);
    }

    /// <summary>
    /// Runs <paramref name="trainer"/> (planned for <paramref name="budget"/>) for a fifth of the budget,
    /// re-plans the total steps from the speed measured meanwhile (validations and checkpoints included,
    /// as the rest will have them), scales the validation cadence with it, and trains on in memory.
    /// </summary>
    internal static TrainingResult<TScore> Run<TStep, TScore>(
        Trainer<TStep, TScore> trainer,
        Tensor train,
        Tensor? validation,
        TimeSpan budget,
        IProgress<TrainingProgress<TStep, TScore>>? progress = null,
        ICheckpointSink<TStep, TScore>? checkpoints = null,
        IProgress<BudgetReplan>? replanned = null,
        CancellationToken cancellationToken = default)
        where TStep : struct, IStepMetrics<TStep>
        where TScore : class, IValidationScore
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var clock = Stopwatch.StartNew();
        var planned = trainer.Options;
        trainer.Reschedule(planned.Steps, planned.ValidateEvery, budget * 0.2);
        var first = trainer.Run(train, validation, progress, checkpoints, cancellationToken);
        var left = budget - clock.Elapsed;
        if (first.Reason != StopReason.TimeLimit || cancellationToken.IsCancellationRequested || left <= TimeSpan.Zero) return first;

        double rate = first.State.Step / clock.Elapsed.TotalSeconds;
        int steps = first.State.Step + (int)Math.Max(1, Math.Floor(rate * left.TotalSeconds * 0.98));
        int validateEvery = planned.ValidateEvery == 0 ? 0 : Math.Max(1, (int)Math.Round((double)planned.ValidateEvery * steps / planned.Steps));
        trainer.Reschedule(steps, validateEvery, left);
        replanned?.Report(new BudgetReplan(rate, steps, validateEvery));
        return trainer.Run(train, validation, progress, checkpoints, cancellationToken);
    }
}

/// <summary>A step budget fitted to a wall-time budget.</summary>
/// <param name="Steps">Total steps.</param>
/// <param name="ValidateEvery">Steps between validations.</param>
/// <param name="Speed">The measured speed it is based on.</param>
public sealed record BudgetPlan(int Steps, int ValidateEvery, SpeedEstimate Speed);

/// <summary>The plan after a fifth of the budget, from the run's own speed.</summary>
/// <param name="StepsPerSecond">Measured speed, validations and checkpoints included.</param>
/// <param name="Steps">The new total steps.</param>
/// <param name="ValidateEvery">The new validation cadence.</param>
public sealed record BudgetReplan(double StepsPerSecond, int Steps, int ValidateEvery);
