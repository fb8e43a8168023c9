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

    [Fact]
    public void StepsWithinValidatingEvery_SolvesForTheStepCount()
    {
        var speed = new SpeedEstimate(SecondsPerStep: 0.1, SecondsPerValidation: 2);
        // N·0.1 + (N/20 + 1)·2 = 100  →  N = 98 / 0.2 = 490.
        Assert.Equal(490, speed.StepsWithinValidatingEvery(TimeSpan.FromSeconds(100), validateEvery: 20));
    }

    [Fact]
    public void AffordableValidations_TakeATenthOfTheBudgetAtMost()
    {
        Assert.Equal(5, new SpeedEstimate(0.1, 2).AffordableValidations(TimeSpan.FromSeconds(100)));
        Assert.Equal(20, new SpeedEstimate(0.1, 0.01).AffordableValidations(TimeSpan.FromSeconds(100)));
        Assert.Equal(1, new SpeedEstimate(0.1, 60).AffordableValidations(TimeSpan.FromSeconds(100)));
    }
}
