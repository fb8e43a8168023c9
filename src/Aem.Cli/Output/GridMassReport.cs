namespace Aem.Cli.Output;

/// <summary>
/// The mass over a square grid of a 2-D model's density normalised two ways (<see cref="Aem.Evaluation.GridDensity"/>):
/// by quadrature (close to 1 when the box holds the mass) and by importance sampling with S samples.
/// </summary>
/// <param name="Low">Lower end of the box on both axes.</param>
/// <param name="High">Upper end of the box on both axes.</param>
/// <param name="PointsPerAxis">Grid points per axis.</param>
/// <param name="Samples">S for the importance-sampling normalisers.</param>
/// <param name="MassQuadrature">∫∫ p over the box, quadrature-normalised conditionals.</param>
/// <param name="MassImportance">∫∫ p over the box, IS-normalised conditionals.</param>
/// <param name="NotConverged">Conditionals whose quadrature did not converge.</param>
internal sealed record GridMassReport(double Low, double High, int PointsPerAxis, int Samples, double MassQuadrature, double MassImportance, int NotConverged);
