using Aem.Cli.Terminal;
using Aem.Training;

namespace Aem.Tests.Cli;

public class TrainingProgressPrinterTests
{
    private static TrainingProgress<AemStep, ValidationScore> At(int step, ValidationScore? validation = null) =>
        new(step, 100, new AemStep(8.3, -4.1, -4.16), 12.5, TimeSpan.FromSeconds(step / 12.5), TimeSpan.FromSeconds((100 - step) / 12.5), validation, null, false);

    [Fact]
    public void NotATerminal_PlainLinesEveryNStepsAndAtValidations()
    {
        var output = new StringWriter();
        var printer = new TrainingProgressPrinter(output, interactive: false, logEvery: 10, timeLimit: null);
        for (int step = 1; step <= 25; step++) printer.Report(At(step, step == 15 ? new ValidationScore(15, -4.0, -4.15, -4.05, -4.16) : null));
        printer.Finish();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["step 10/100", "step 15/100", "step 20/100"], lines.Select(l => l[..l.IndexOf("  ", StringComparison.Ordinal)]));
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Contains("val@15 p̂ -4.000 q -4.150", lines[1], StringComparison.Ordinal);
        Assert.Contains("ETA", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Terminal_RewritesOneLineAndKeepsValidations()
    {
        var output = new StringWriter();
        var printer = new TrainingProgressPrinter(output, interactive: true, logEvery: 10, timeLimit: TimeSpan.FromSeconds(2), width: 300);
        printer.Report(At(1));
        printer.Report(At(2, new ValidationScore(2, -4.0, -4.15, null, -4.16)));
        printer.Report(At(3));                                          // redrawn at most every 0.1 s: skipped
        printer.Report(At(100));
        printer.Finish();
        string text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.DoesNotContain("step 3/", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Count(c => c == '\n'));                 // after the validation and at the end
        Assert.Contains("ETA 1.8s", text, StringComparison.Ordinal); // the time limit is nearer than the step estimate
    }

    [Fact]
    public void Terminal_CutsTheLineToTheTerminalWidth()
    {
        var output = new StringWriter();
        var printer = new TrainingProgressPrinter(output, interactive: true, logEvery: 10, timeLimit: null, width: 40);
        printer.Report(At(1, new ValidationScore(1, -4.0, -4.15, null, -4.16)));
        Assert.All(output.ToString().Split('\r', '\n'), line => Assert.True(line.Length <= 40, line));
    }
}
