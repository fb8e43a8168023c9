using Aem.Model;
using Aem.Training;

namespace Aem.Presets;

/// <summary>A complete set of settings: architecture, schedule, objective.</summary>
/// <param name="Model">The architecture.</param>
/// <param name="Training">The schedule.</param>
/// <param name="Objective">Importance samples in training and validation.</param>
public sealed record AemSettings(AemOptions Model, TrainerOptions Training, AemObjectiveOptions Objective);
