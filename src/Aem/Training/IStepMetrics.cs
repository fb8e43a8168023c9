namespace Aem.Training;

/// <summary>What one training step yields; the trainer averages them between reports.</summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IStepMetrics<TSelf>
    where TSelf : struct, IStepMetrics<TSelf>
{
    /// <summary>The minimised loss.</summary>
    double Loss { get; }

    /// <summary>The average of <paramref name="steps"/> (at least one), term by term.</summary>
    static abstract TSelf Mean(IReadOnlyList<TSelf> steps);
}
