namespace Aem.Evaluation;

/// <summary>
/// A 2-D model's density on a square grid, normalised two ways (see <see cref="GridDensity"/>).
/// Arrays are indexed <c>[i, j]</c> = (x₁ = Axis[i], x₂ = Axis[j]).
/// </summary>
/// <param name="Axis">Grid coordinates, shared by both axes.</param>
/// <param name="LogDensityQuadrature">log p with every conditional normalised by the converged trapezoid rule.</param>
/// <param name="LogDensityImportance">log p with every conditional normalised by importance sampling (S samples).</param>
/// <param name="MassQuadrature">∫∫ p over the grid box (trapezoid), quadrature-normalised.</param>
/// <param name="MassImportance">∫∫ p over the grid box, IS-normalised.</param>
/// <param name="Samples">S for the importance-sampling normalisers.</param>
/// <param name="NotConverged">Conditionals whose quadrature did not converge (0 means all did).</param>
public sealed record GridDensityResult(
    double[] Axis,
    double[,] LogDensityQuadrature,
    double[,] LogDensityImportance,
    double MassQuadrature,
    double MassImportance,
    int Samples,
    int NotConverged);
