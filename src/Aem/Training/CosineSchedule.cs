namespace Aem.Training;

/// <summary>Cosine annealing to zero (Loshchilov &amp; Hutter, 2016) without restarts.</summary>
public static class CosineSchedule
{
    /// <summary>The learning rate for 0-based <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public static double LearningRate(double initial, int step, int totalSteps) =>
        initial * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps));
}
