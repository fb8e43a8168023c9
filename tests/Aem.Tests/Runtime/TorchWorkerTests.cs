using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Runtime;

/// <summary>The training objective's second thread: both halves run, on two threads, every time, and failures surface.</summary>
public class TorchWorkerTests
{
    [Fact]
    public void RunBeside_RunsBothHalves_OnTwoThreads_EveryCall()
    {
        using var worker = new TorchWorker("test worker");
        var threadsSeen = new HashSet<int>();
        for (int call = 0; call < 50; call++)
        {
            double there = 0, here = 0;
            int thereThread = 0;
            worker.RunBeside(
                () =>
                {
                    thereThread = Environment.CurrentManagedThreadId;
                    using var t = arange(call + 1.0);
                    using var sum = t.sum();
                    there = sum.ToDouble();
                },
                () =>
                {
                    using var t = ones(call + 1);
                    using var sum = t.sum();
                    here = sum.ToDouble();
                });
            Assert.Equal(call * (call + 1) / 2.0, there);
            Assert.Equal(call + 1.0, here);
            Assert.NotEqual(Environment.CurrentManagedThreadId, thereThread);
            threadsSeen.Add(thereThread);
        }
        Assert.Single(threadsSeen); // one long-lived thread, not one per call
    }

    [Fact]
    public void RunBeside_ReportsTheWorkersFailure_AfterBothFinish_AndStaysUsable()
    {
        using var worker = new TorchWorker("test worker");
        bool hereFinished = false;
        var error = Assert.Throws<InvalidOperationException>(() => worker.RunBeside(
            () => throw new ArgumentException("bad piece"),
            () => hereFinished = true));
        Assert.True(hereFinished);
        Assert.Contains("bad piece", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(error.InnerException);

        bool ran = false;
        worker.RunBeside(() => ran = true, () => { });
        Assert.True(ran);
    }

    [Fact]
    public void RunBeside_WaitsForTheWorker_WhenThisThreadFails()
    {
        using var worker = new TorchWorker("test worker");
        bool thereFinished = false;
        Assert.Throws<ArgumentException>(() => worker.RunBeside(
            () =>
            {
                Thread.Sleep(50);
                thereFinished = true;
            },
            () => throw new ArgumentException("here")));
        Assert.True(thereFinished);
    }

    [Fact]
    public void ADisposedWorker_RefusesWork()
    {
        var worker = new TorchWorker("test worker");
        worker.Dispose();
        worker.Dispose();
        Assert.Throws<ObjectDisposedException>(() => worker.RunBeside(() => { }, () => { }));
    }

    [Fact]
    public void StartThread_RunsWithTheGivenThreadCount()
    {
        int seen = 0;
        var thread = TorchWorker.StartThread(() => seen = get_num_threads(), 1);
        thread.Join();
        Assert.Equal(1, seen);
    }
}
