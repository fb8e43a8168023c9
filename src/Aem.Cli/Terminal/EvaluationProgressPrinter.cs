using System.Diagnostics;
using Aem.Cli.Parsing;
using Aem.Evaluation;

namespace Aem.Cli.Terminal;

/// <summary>
/// Shows an evaluation's progress with its ETA: one line rewritten in place on a terminal (at most twice a
/// second), a plain line every 15 s otherwise; once, a hint when the whole will take more than ten minutes.
/// </summary>
/// <param name="context">Where to write.</param>
/// <param name="samples">S, for the progress line.</param>
internal sealed class EvaluationProgressPrinter(CliContext context, int samples) : IProgress<EvaluationProgress>, IDisposable
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastReport = TimeSpan.Zero;
    private TimeSpan stageStart = TimeSpan.Zero;
    private string? stage;
    private bool hinted;
    private bool lineOpen;

    public void Report(EvaluationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Stage != stage)
        {
            Finish();
            stage = value.Stage;
            stageStart = clock.Elapsed;
            if (value.Stage == EvaluationProgress.KdeSelection)
            {
                context.Out.WriteLine($"choosing the AEM-KDE bandwidth and proposal weight on {value.Total:N0} validation points");
            }
        }
        if (value.Stage != EvaluationProgress.Scoring) return;
        bool done = value.Done == value.Total;
        if (clock.Elapsed - lastReport <= TimeSpan.FromSeconds(context.Interactive ? 0.5 : 15) && !done) return;
        lastReport = clock.Elapsed;
        double fraction = (double)value.Done / value.Total;
        var eta = TimeSpan.FromSeconds((clock.Elapsed - stageStart).TotalSeconds * (1 - fraction) / fraction);
        if (!hinted && eta > TimeSpan.FromMinutes(10))
        {
            hinted = true;
            Finish();
            context.Out.WriteLine($"(this will take about {Durations.Format(eta)}; --max-points N scores a random subset, --samples S fewer samples)");
        }
        string line = $"scoring {value.Done:N0}/{value.Total:N0} points (S = {samples:N0})  ETA {Durations.Format(eta)}";
        if (context.Interactive)
        {
            context.Out.Write("\r" + line.PadRight(60));
            lineOpen = true;
        }
        else
        {
            context.Out.WriteLine(line);
        }
    }

    /// <summary>Ends the line being rewritten, if any.</summary>
    public void Finish()
    {
        if (!lineOpen) return;
        context.Out.WriteLine();
        lineOpen = false;
    }

    public void Dispose() => Finish();
}
