using Aem.Model;
using Aem.Training;

namespace Aem.Tests.Training;

/// <summary>Trainers for tests.</summary>
internal static class TestTrainers
{
    /// <summary>The one trainer over the AEM objective.</summary>
    public static Trainer<AemStep, ValidationScore> Aem(
        AutoregressiveEnergyMachine model, TrainerOptions options, AemObjectiveOptions? objective = null, TrainingState<ValidationScore>? state = null) =>
        new(new AemObjective(model, objective), options, state);
}
