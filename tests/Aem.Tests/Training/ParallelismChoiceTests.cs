using Aem.Training;

namespace Aem.Tests.Training;

public class ParallelismChoiceTests
{
    [Fact]
    public void Describe_NamesTheChoice_ItsRate_AndEveryOtherMeasuredCandidate()
    {
        var choice = new ParallelismChoice(1, 1, ThreadsStepsPerSecond: 90.4, WorkersStepsPerSecond: 53.0) { OneThreadStepsPerSecond = 99.7 };
        Assert.Equal("1 thread (measured 100 steps/s; intra-op threads 90, 2 workers × 1 thread 53)", choice.Describe());
    }

    [Fact]
    public void Describe_KeepsTwoFigures_ForSlowSteps()
    {
        var choice = new ParallelismChoice(1, 2, ThreadsStepsPerSecond: 1.43, WorkersStepsPerSecond: 1.71) { OneThreadStepsPerSecond = 0.954 };
        Assert.Equal("2 workers × 1 thread (measured 1.7 steps/s; intra-op threads 1.4, 1 thread 0.95)", choice.Describe());
    }

    [Fact]
    public void Describe_WithoutMeasurements_NamesOnlyTheChoice()
    {
        Assert.Equal("2 threads", new ParallelismChoice(2, 1, null, null).Describe());
        Assert.Equal("2 workers × 1 thread", new ParallelismChoice(1, 2, null, null).Describe());
    }
}
