using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>Cosine annealing to zero (Loshchilov &amp; Hutter, 2016) without restarts.</summary>
internal static class CosineSchedule
{
    /// <summary>The learning rate for 0-based <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public static double LearningRate(double initial, int step, int totalSteps) =>
        initial * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps));

    /// <summary>
    /// The cosine's rate, ramped up linearly over the first <paramref name="rampSteps"/> steps (step s gets
    /// (s + 1)/ramp of it): a large rate's first updates can otherwise throw a small network onto a plateau.
    /// </summary>
    public static double LearningRate(double initial, int step, int totalSteps, int rampSteps) =>
        rampSteps > 0 && step < rampSteps
            ? LearningRate(initial, step, totalSteps) * (step + 1) / rampSteps
            : LearningRate(initial, step, totalSteps);

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the learning rate of <paramref name="step"/>.</summary>
    internal static void Apply(optim.Optimizer optimizer, double initial, int step, int totalSteps, int rampSteps = 0)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = LearningRate(initial, step, totalSteps, rampSteps);
        }
    }
}
