namespace Aem.Evaluation;

/// <summary>One conditional p(x_d | x_&lt;d) of a calibration run.</summary>
/// <param name="Point">Row of the validation split that gives the context x_&lt;d.</param>
/// <param name="Dimension">d, 0-based (never 0: p(x_1) has one context and is skipped, as in the paper).</param>
/// <param name="Low">Lower end of the integration range.</param>
/// <param name="High">Upper end of the integration range.</param>
/// <param name="LogZ">Quadrature log Z = log ∫ φ over [Low, High].</param>
/// <param name="Converged">Whether the quadrature reached the tolerance.</param>
/// <param name="GridPoints">Points of the finest trapezoid grid.</param>
/// <param name="LogZHat">Importance-sampling log Ẑ, one per (estimator, sample size), estimator-major (<see cref="CalibrationResult.Index"/>).</param>
public sealed record CalibrationConditional(
    int Point,
    int Dimension,
    double Low,
    double High,
    double LogZ,
    bool Converged,
    int GridPoints,
    IReadOnlyList<double> LogZHat);
