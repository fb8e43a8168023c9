using Aem.Runtime;

namespace Aem.Tests.Runtime;

public class CpuUsageTests
{
    [Fact]
    public void BusyCores_CountsAThreadThatSpinsThroughTheWindow()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(CpuUsage.BusyCores(TimeSpan.FromMilliseconds(100)));
            return;
        }
        WhileAThreadSpins(() =>
        {
            var busy = CpuUsage.BusyCores(TimeSpan.FromMilliseconds(300));
            Assert.NotNull(busy);
            // One core spinning, whatever else the machine (or the parallel test run) is doing.
            Assert.InRange(busy.Value, 0.6, Environment.ProcessorCount);
        });
    }

    [Fact]
    public void Sample_SeparatesThisProcesssOwnUse_SoFreeCoresDoesNotCountIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        WhileAThreadSpins(() =>
        {
            var sample = CpuUsage.Sample(TimeSpan.FromMilliseconds(300));
            Assert.NotNull(sample);
            var (busy, own) = sample.Value;
            Assert.NotNull(own);
            // The spinner is this process's: its core is in both figures, so leaving this process out removes it.
            Assert.InRange(own.Value, 0.6, Environment.ProcessorCount);
            Assert.True(own.Value <= busy + 0.15, $"this process used {own:0.00} cores of {busy:0.00} busy");
        });
    }

    private static void WhileAThreadSpins(Action measure)
    {
        using var stop = new CancellationTokenSource();
        var spinner = new Thread(() =>
        {
            while (!stop.IsCancellationRequested) Thread.SpinWait(1000);
        });
        spinner.Start();
        try
        {
            measure();
        }
        finally
        {
            stop.Cancel();
            spinner.Join();
        }
    }
}
