using System.Diagnostics;

namespace Aem.Training;

/// <summary>Averages step statistics between two progress reports and measures their speed.</summary>
internal sealed class ReportWindow
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly double smoothedStepSeconds;
    private int steps;
    private int energySteps;
    private double loss;
    private double logDensity;
    private double logProposal;

    public ReportWindow()
    {
    }

    /// <summary>A new window that carries over the previous window's speed estimate.</summary>
    public ReportWindow(ReportWindow previous) => smoothedStepSeconds = previous.StepSeconds;

    public double? MeanLogDensity => energySteps > 0 ? logDensity / energySteps : null;

    public double? MeanLogProposal => steps > 0 ? logProposal / steps : null;

    private double StepSeconds
    {
        get
        {
            double current = steps > 0 ? clock.Elapsed.TotalSeconds / steps : smoothedStepSeconds;
            return smoothedStepSeconds > 0 && steps > 0 ? (0.7 * current) + (0.3 * smoothedStepSeconds) : current;
        }
    }

    public void Add(StepStats stats)
    {
        steps++;
        loss += stats.Loss;
        logProposal += stats.LogProposal;
        if (stats.LogDensity is { } d)
        {
            energySteps++;
            logDensity += d;
        }
    }

    public TrainingProgress ToProgress(TrainingState state, TrainerOptions options, TimeSpan elapsed, ValidationScore? validation)
    {
        double seconds = StepSeconds;
        TimeSpan? eta = seconds > 0 ? TimeSpan.FromSeconds(seconds * (options.Steps - state.Step)) : null;
        return new TrainingProgress(
            state.Step,
            options.Steps,
            steps > 0 ? loss / steps : double.NaN,
            MeanLogDensity,
            MeanLogProposal ?? double.NaN,
            seconds > 0 ? 1 / seconds : 0,
            elapsed,
            eta,
            validation,
            state.BestScore,
            state.Step <= options.WarmupSteps);
    }
}
