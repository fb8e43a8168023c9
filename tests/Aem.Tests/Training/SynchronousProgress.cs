namespace Aem.Tests.Training;

/// <summary>
/// Calls the handler on the reporting thread, at the report. (<see cref="Progress{T}"/> posts to
/// the thread pool, so a test could not act at a given step with it.)
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
