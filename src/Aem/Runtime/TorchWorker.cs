using static TorchSharp.torch;

namespace Aem.Runtime;

/// <summary>
/// A long-lived thread that runs torch work beside the caller's thread, with the caller's intra-op thread count,
/// set on the thread itself. Measured (AMD EPYC Zen 5, 2 cores, demo model, two training workers with the count
/// set to one on the main thread only): each step's fresh helper thread started OpenMP teams of its own, 76 % of
/// the process's samples were OpenMP threads spinning, and training ran at 52 steps/s; with the count set on the
/// helper (or OMP_NUM_THREADS=1) it ran at 126–149. One thread for the objective's life also saves starting one per step.
/// </summary>
internal sealed class TorchWorker : IDisposable
{
    private readonly Thread thread;
    private readonly SemaphoreSlim start = new(0);
    private readonly SemaphoreSlim done = new(0);
    private Action? job;
    private int threads;
    private Exception? failure;
    private bool stopping;

    public TorchWorker(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="there"/> on the worker while this thread runs <paramref name="here"/>; returns when both have
    /// finished. An exception of <paramref name="here"/> propagates once the worker is done (the worker's is then
    /// dropped); otherwise the worker's is rethrown, wrapped.
    /// </summary>
    public void RunBeside(Action there, Action here)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
        job = there;
        threads = get_num_threads();
        failure = null;
        start.Release();
        try
        {
            here();
        }
        finally
        {
            done.Wait();
            job = null;
        }
        if (failure is not null) throw new InvalidOperationException("A torch worker thread failed: " + failure.Message, failure);
    }

    private void Loop()
    {
        int applied = 0;
        while (true)
        {
            start.Wait();
            if (stopping) return;
            try
            {
                if (threads != applied) set_num_threads(applied = threads);
                job!();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                done.Release();
            }
        }
    }

    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        start.Release();
        thread.Join();
        start.Dispose();
        done.Dispose();
    }

    /// <summary>
    /// Starts a one-off thread that runs <paramref name="body"/> with <paramref name="intraOpThreads"/> torch threads
    /// (set on the thread itself, for the reason in this class's summary).
    /// </summary>
    public static Thread StartThread(Action body, int intraOpThreads)
    {
        var one = new Thread(() =>
        {
            set_num_threads(intraOpThreads);
            body();
        });
        one.Start();
        return one;
    }
}
