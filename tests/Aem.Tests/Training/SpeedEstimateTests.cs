using Aem.Training;

namespace Aem.Tests.Training;

public class SpeedEstimateTests
{
    [Fact]
    public void StepsWithin_LeavesTimeForTheValidations()
    {
        var speed = new SpeedEstimate(SecondsPerStep: 0.1, SecondsPerValidation: 2);
        // 100 s − (10 + 1) × 2 s of validation leaves 78 s: 780 steps.
        Assert.Equal(780, speed.StepsWithin(TimeSpan.FromSeconds(100), validations: 10));
    }

    [Fact]
    public void StepsWithin_IsAtLeastOneStep()
    {
        var speed = new SpeedEstimate(SecondsPerStep: 10, SecondsPerValidation: 100);
        Assert.Equal(1, speed.StepsWithin(TimeSpan.FromSeconds(5), validations: 3));
    }
}
