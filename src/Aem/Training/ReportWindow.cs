using System.Diagnostics;

namespace Aem.Training;

/// <summary>Collects the steps between two progress reports and measures their speed.</summary>
internal sealed class ReportWindow<TStep>
    where TStep : struct, IStepMetrics<TStep>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly double smoothedStepSeconds;
    private readonly List<TStep> steps = [];

    public ReportWindow()
    {
    }

    /// <summary>A new window that carries over the previous window's speed estimate.</summary>
    public ReportWindow(ReportWindow<TStep> previous) => smoothedStepSeconds = previous.StepSeconds;

    /// <summary>The mean of the steps so far, or null if there were none.</summary>
    public TStep? Mean => steps.Count > 0 ? TStep.Mean(steps) : null;

    /// <summary>Seconds per step, smoothed over windows (0 if unknown).</summary>
    public double StepSeconds
    {
        get
        {
            double current = steps.Count > 0 ? clock.Elapsed.TotalSeconds / steps.Count : smoothedStepSeconds;
            return smoothedStepSeconds > 0 && steps.Count > 0 ? (0.7 * current) + (0.3 * smoothedStepSeconds) : current;
        }
    }

    public void Add(TStep step) => steps.Add(step);
}
