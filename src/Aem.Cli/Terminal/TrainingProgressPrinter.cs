using System.Globalization;
using Aem.Cli.Parsing;
using Aem.Training;

namespace Aem.Cli.Terminal;

/// <summary>
/// Shows training progress — step, speed, loss, the AEM's log p̂ and the proposal's log q (training
/// means and the last validation), time left — on a terminal as one line rewritten in place (kept after each validation,
/// so the validation history stays on screen); otherwise plain lines every <c>logEvery</c> steps
/// and after each validation, fit for log files.
/// </summary>
internal sealed class TrainingProgressPrinter : IProgress<TrainingProgress<AemStep, ValidationScore>>
{
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly int logEvery;
    private readonly TimeSpan? timeLimit;
    private readonly int width;
    private readonly System.Diagnostics.Stopwatch sinceDrawn = System.Diagnostics.Stopwatch.StartNew();
    private ValidationScore? lastValidation;
    private int lastLength;
    private bool lineOpen;
    private bool drawn;

    /// <param name="output">Where to write.</param>
    /// <param name="interactive">True for a terminal: rewrite one line.</param>
    /// <param name="logEvery">Steps between plain lines when not interactive.</param>
    /// <param name="timeLimit">The run's wall-time limit, if any (for the ETA).</param>
    /// <param name="width">Longest line on a terminal (a wrapped line cannot be rewritten); default: the terminal's width.</param>
    public TrainingProgressPrinter(TextWriter output, bool interactive, int logEvery, TimeSpan? timeLimit, int? width = null)
    {
        this.output = output;
        this.interactive = interactive;
        this.logEvery = Math.Max(1, logEvery);
        this.timeLimit = timeLimit;
        this.width = width ?? TerminalWidth();
    }

    public void Report(TrainingProgress<AemStep, ValidationScore> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Validation is not null) lastValidation = value.Validation;
        string line = Format(value);
        if (interactive)
        {
            // Redraw at most ten times a second, but always show validations and the last step.
            bool due = !drawn || value.Validation is not null || value.Step == value.TotalSteps || sinceDrawn.ElapsedMilliseconds >= 100;
            if (!due) return;
            drawn = true;
            sinceDrawn.Restart();
            if (line.Length > width) line = line[..width];
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

    /// <summary>"step 1,200/2,400  14.8 steps/s  loss 7.681  train p̂ -3.826 q -4.159  val@1,200 p̂ -3.812 q -4.159 ESS med 88 min 12  ETA 1m21s".</summary>
    private string Format(TrainingProgress<AemStep, ValidationScore> p)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {p.Step:N0}/{p.TotalSteps:N0}");
        text.Append(CultureInfo.InvariantCulture, $"  {p.StepsPerSecond:0.0} steps/s");
        var train = p.Train ?? new AemStep(double.NaN, null, double.NaN);
        if (double.IsFinite(train.Loss)) text.Append(CultureInfo.InvariantCulture, $"  loss {train.Loss:0.000}");
        text.Append("  train ");
        text.Append(train.LogDensity is { } t ? string.Create(CultureInfo.InvariantCulture, $"p̂ {t:0.000} ") : "");
        text.Append(CultureInfo.InvariantCulture, $"q {train.LogProposal:0.000}");
        if (lastValidation is { } v)
        {
            text.Append(CultureInfo.InvariantCulture, $"  val@{v.Step:N0} ");
            text.Append(v.LogDensity is { } d ? string.Create(CultureInfo.InvariantCulture, $"p̂ {d:0.000} ") : "");
            text.Append(CultureInfo.InvariantCulture, $"q {v.LogProposal:0.000}");
            if (v.EffectiveSampleSize is { } ess)
            {
                text.Append(CultureInfo.InvariantCulture, $" ESS med {ess.Median:G3} min {ess.Min:G3}");
                if (ess.Unreliable) text.Append(CultureInfo.InvariantCulture, $" ({ess.ShareBelow:P0} < {ess.Threshold:G3})");
            }
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

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 20 ? Console.WindowWidth - 1 : 200;
        }
        catch (IOException)
        {
            return 200;
        }
    }
}
