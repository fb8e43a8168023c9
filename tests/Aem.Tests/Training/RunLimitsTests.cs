using Aem.Training;

namespace Aem.Tests.Training;

public class RunLimitsTests
{
    [Fact]
    public void NonFiniteSteps_StopOnlyWhenTheLimitIsReachedInARow()
    {
        var limits = new RunLimits(maxDuration: null, maxNonFiniteSteps: 3, CancellationToken.None);

        Assert.False(limits.NonFinite());
        Assert.False(limits.NonFinite());
        limits.Finite();
        Assert.Equal(0, limits.NonFiniteInARow);
        Assert.False(limits.NonFinite());
        Assert.False(limits.NonFinite());
        Assert.True(limits.NonFinite());
        Assert.Equal(3, limits.NonFiniteInARow);
    }

    [Fact]
    public void Interruption_IsCancellationFirst_ThenTheTimeLimit()
    {
        Assert.Null(new RunLimits(null, 1, CancellationToken.None).Interruption());
        Assert.Null(new RunLimits(TimeSpan.FromDays(1), 1, CancellationToken.None).Interruption());
        Assert.Equal(StopReason.TimeLimit, new RunLimits(TimeSpan.Zero, 1, CancellationToken.None).Interruption());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Equal(StopReason.Cancelled, new RunLimits(TimeSpan.Zero, 1, cancelled.Token).Interruption());
    }
}
