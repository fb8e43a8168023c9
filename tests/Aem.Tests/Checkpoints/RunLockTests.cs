using Aem.Runs;

namespace Aem.Tests.Checkpoints;

public sealed class RunLockTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("aem-lock-tests-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void SecondAcquire_IsRefusedNamingTheFolderAndTheHoldersPid()
    {
        string run = Path.Combine(root, "run");
        using var held = RunLock.Acquire(run);
        var refused = Assert.Throws<RunFolderInUseException>(() => RunLock.Acquire(run));
        Assert.Equal($"{run}: another aem process (PID {Environment.ProcessId}) is using this run folder", refused.Message);
    }

    [Fact]
    public void Dispose_ReleasesTheFolderForTheNextRun()
    {
        string run = Path.Combine(root, "run");
        RunLock.Acquire(run).Dispose();
        using var again = RunLock.Acquire(run);
        Assert.Equal(run, again.Path);
    }

    [Fact]
    public void DifferentFolders_DoNotInterfere()
    {
        using var a = RunLock.Acquire(Path.Combine(root, "a"));
        using var b = RunLock.Acquire(Path.Combine(root, "b"));
        Assert.NotEqual(a.Path, b.Path);
    }
}
