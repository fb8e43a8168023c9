using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// What a model is trained to do, as <see cref="Trainer{TStep, TScore}"/> needs it: the loss of a batch
/// (computed and back-propagated here, so that an objective can split a batch into micro-batches) and a
/// validation score. The trainer owns everything else: batches, the optimiser and its schedule, budgets,
/// validation cadence, best-model tracking, early stopping, progress and checkpoints.
/// </summary>
/// <typeparam name="TStep">What one step yields (its loss and the objective's own terms).</typeparam>
/// <typeparam name="TScore">What one validation yields.</typeparam>
public interface ITrainingObjective<TStep, TScore>
    where TStep : struct, IStepMetrics<TStep>
    where TScore : class, IValidationScore
{
    /// <summary>The module whose parameters are optimised.</summary>
    nn.Module Model { get; }

    /// <summary>The random stream that shuffles this objective's batches (distinct objectives, distinct streams).</summary>
    long BatchStream { get; }

    /// <summary>Moves and checks a split before training; throws <see cref="ArgumentException"/> naming <paramref name="split"/> if it cannot be used.</summary>
    /// <param name="data">The split as the caller gave it.</param>
    /// <param name="split">"training" or "validation", for messages.</param>
    /// <returns>The split on the model's device (and dtype); a new tensor or <paramref name="data"/> itself.</returns>
    Tensor Prepare(Tensor data, string split);

    /// <summary>The rows validation scores (a fixed subset of at most <see cref="TrainerOptions.ValidationPoints"/>), on the model's device.</summary>
    Tensor ValidationSubset(Tensor validation, TrainerOptions options);

    /// <summary>
    /// Computes the loss of <paramref name="batch"/> for step <paramref name="context"/> and back-propagates
    /// it (the trainer has zeroed the gradients and applies the step). Every random draw must be a function
    /// of the seed and the step, so that a resumed run repeats an uninterrupted one. Returns null if the loss
    /// is not finite (the trainer then skips the step).
    /// </summary>
    TStep? Backward(Tensor batch, StepContext context);

    /// <summary>Scores <paramref name="validation"/> after step <paramref name="context"/>; <paramref name="sinceLast"/> averages the training steps since the previous validation.</summary>
    TScore Validate(Tensor validation, StepContext context, TStep? sinceLast);
}

/// <summary>Where in the run a step or a validation is.</summary>
/// <param name="Step">0-based index of the step being taken, or the number of steps done at a validation.</param>
/// <param name="Warmup">True during the warm-up (<see cref="TrainerOptions.WarmupSteps"/>).</param>
/// <param name="Options">The run's options (seed, sizes).</param>
public readonly record struct StepContext(int Step, bool Warmup, TrainerOptions Options);
