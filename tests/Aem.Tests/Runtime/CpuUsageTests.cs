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
        using var stop = new CancellationTokenSource();
        var spinner = new Thread(() =>
        {
            while (!stop.IsCancellationRequested) Thread.SpinWait(1000);
        });
        spinner.Start();
        try
        {
            var busy = CpuUsage.BusyCores(TimeSpan.FromMilliseconds(300));
            Assert.NotNull(busy);
            // One core spinning, whatever else the machine (or the parallel test run) is doing.
            Assert.InRange(busy.Value, 0.6, Environment.ProcessorCount);
        }
        finally
        {
            stop.Cancel();
            spinner.Join();
        }
    }
}
