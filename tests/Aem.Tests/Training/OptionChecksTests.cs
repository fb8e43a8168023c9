using Aem.Training;
using Aem.Vae;

namespace Aem.Tests.Training;

public class OptionChecksTests
{
    [Fact]
    public void Validate_NamesTheFirstInvalidSetting()
    {
        var batch = Assert.Throws<ArgumentException>(() => new TrainerOptions { BatchSize = 0, Steps = 0 }.Validate());
        Assert.Equal("BatchSize", batch.ParamName);
        Assert.StartsWith("BatchSize must be at least 1 (got 0).", batch.Message, StringComparison.Ordinal);

        var beta = Assert.Throws<ArgumentException>(() => new VaeObjectiveOptions { Beta = -0.5 }.Validate());
        Assert.Equal("Beta", beta.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    public void Positive_RejectsZeroNegativeAndNaN(double value)
    {
        var error = Assert.Throws<ArgumentException>(() => OptionChecks.Positive(value, "LearningRate"));
        Assert.Equal("LearningRate", error.ParamName);
        Assert.Throws<ArgumentException>(() => new TrainerOptions { GradientClipNorm = value }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRate = value }.Validate());
    }

    [Fact]
    public void AtLeast_AcceptsTheMinimumAndRejectsNaN()
    {
        OptionChecks.AtLeast(1, 1, "Steps");
        new TrainerOptions { ValidateEvery = 0, CheckpointEvery = 0 }.Validate();
        Assert.Throws<ArgumentException>(() => OptionChecks.AtLeast(double.NaN, 0, "Beta"));
        Assert.Throws<ArgumentException>(() => new VaeObjectiveOptions { Beta = double.NaN }.Validate());
    }
}
