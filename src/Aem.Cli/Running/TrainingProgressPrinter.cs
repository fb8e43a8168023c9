using System.Globalization;
using Aem.Training;

namespace Aem.Cli.Running;

/// <summary>
/// Shows training progress: on a terminal one line rewritten in place (kept after each validation,
/// so the validation history stays on screen); otherwise plain lines every <c>logEvery</c> steps
/// and after each validation, fit for log files.
/// </summary>
public sealed class TrainingProgressPrinter : IProgress<TrainingProgress>
{
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly int logEvery;
    private readonly TimeSpan? timeLimit;
    private ValidationScore? lastValidation;
    private int lastLength;
    private bool lineOpen;

    public TrainingProgressPrinter(TextWriter output, bool interactive, int logEvery, TimeSpan? timeLimit)
    {
        this.output = output;
        this.interactive = interactive;
        this.logEvery = Math.Max(1, logEvery);
        this.timeLimit = timeLimit;
    }

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Validation is not null) lastValidation = value.Validation;
        string line = Format(value);
        if (interactive)
        {
            output.Write("\r" + line.PadRight(lastLength));
            lastLength = line.Length;
            lineOpen = true;
            if (value.Validation is not null) Finish();
            output.Flush();
        }
        else if (value.Validation is not null || value.Step % logEvery == 0 || value.Step == value.TotalSteps)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Ends the line being rewritten, if any.</summary>
    public void Finish()
    {
        if (!lineOpen) return;
        output.WriteLine();
        lineOpen = false;
        lastLength = 0;
    }

    private string Format(TrainingProgress p)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {p.Step:N0}/{p.TotalSteps:N0}");
        text.Append(CultureInfo.InvariantCulture, $"  {p.StepsPerSecond:0.0} steps/s");
        if (double.IsFinite(p.Loss)) text.Append(CultureInfo.InvariantCulture, $"  loss {p.Loss:0.000}");
        text.Append("  train ");
        text.Append(p.TrainLogDensity is { } t ? string.Create(CultureInfo.InvariantCulture, $"log p̂ {t:0.000} ") : "");
        text.Append(CultureInfo.InvariantCulture, $"log q {p.TrainLogProposal:0.000}");
        if (lastValidation is { } v)
        {
            text.Append(CultureInfo.InvariantCulture, $"  val@{v.Step:N0} ");
            text.Append(v.LogDensity is { } d ? string.Create(CultureInfo.InvariantCulture, $"log p̂ {d:0.000} ") : "");
            text.Append(CultureInfo.InvariantCulture, $"log q {v.LogProposal:0.000}");
        }
        if (p.InWarmup) text.Append("  [warm-up]");
        var eta = p.Eta;
        if (timeLimit is { } limit)
        {
            var left = limit - p.Elapsed;
            if (eta is null || left < eta) eta = left;
        }
        if (eta is { } e && p.Step < p.TotalSteps) text.Append("  ETA ").Append(Durations.Format(e));
        return text.ToString();
    }
}
