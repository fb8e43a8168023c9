namespace Aem.Vae;

/// <summary>A progress report from <see cref="VaeTrainer"/>.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Mean −L_β per image since the previous report.</param>
/// <param name="Reconstruction">Mean log p(x|z) since the previous report.</param>
/// <param name="Kl">Mean KL(q(z|x) ‖ N(0, I)) since the previous report.</param>
/// <param name="StepsPerSecond">Speed since the previous report.</param>
/// <param name="Elapsed">Wall time of this run.</param>
/// <param name="Eta">Estimated time to the step budget at this speed.</param>
/// <param name="Validation">Set when this report follows a validation.</param>
/// <param name="BestElbo">Best validation ELBO so far.</param>
public sealed record VaeProgress(
    int Step,
    int TotalSteps,
    double Loss,
    double Reconstruction,
    double Kl,
    double StepsPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    VaeValidationScore? Validation,
    double? BestElbo);
