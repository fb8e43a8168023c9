namespace Aem.Evaluation;

/// <summary>What <see cref="LogTrapezoid.Integrate"/> found for each integrand.</summary>
/// <param name="LogIntegral">log ∫ f, from the finest grid used.</param>
/// <param name="Points">Grid points of that finest grid.</param>
/// <param name="Converged">Whether the last doubling changed log ∫ f by at most the tolerance.</param>
internal sealed record TrapezoidResult(double[] LogIntegral, int[] Points, bool[] Converged);
