using Aem.Runs;

namespace Aem.Tests.Cli;

[Collection(CliTestGroup.Name)]
public sealed class CliRunLockTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public void TrainAndResume_IntoAFolderInUse_AreRefusedWithExitCode2AndLeaveItIntact()
    {
        Assert.Equal(0, cli.TrainTiny("run", 3).Code);
        string run = cli.PathOf("run");
        string expected = $"aem: error: {run}: another aem process (PID {Environment.ProcessId}) is using this run folder";
        using (RunLock.Acquire(run))
        {
            var resumed = cli.Run("train", "--resume", run, "--steps", "6");
            Assert.Equal(2, resumed.Code);
            Assert.Equal(expected, resumed.Error.Trim());

            var forced = cli.TrainTiny("run", 3, "--force");
            Assert.Equal(2, forced.Code);
            Assert.Equal(expected, forced.Error.Trim());
            Assert.True(File.Exists(Path.Combine(run, "last", "run.json")), "the holder's checkpoint must survive a refused run");
        }
        var afterRelease = cli.Run("train", "--resume", run, "--steps", "6");
        Assert.True(afterRelease.Code == 0, afterRelease.ToString());
    }
}
