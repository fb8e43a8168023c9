namespace Aem.Vae;

/// <summary>Validation after a step: the mean one-sample ELBO (β = 1) and its two terms, in nats per image.</summary>
public sealed record VaeValidationScore(int Step, double Elbo, double Reconstruction, double Kl);
