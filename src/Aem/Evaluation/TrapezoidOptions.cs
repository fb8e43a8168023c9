namespace Aem.Evaluation;

/// <summary>Settings of <see cref="LogTrapezoid"/>: the grid doubles from <see cref="InitialPoints"/> until converged or capped.</summary>
public sealed record TrapezoidOptions
{
    /// <summary>Points in the first grid, ends included (2^k + 1 keeps later grids nested).</summary>
    public int InitialPoints { get; init; } = 1025;

    /// <summary>Give up (and report non-convergence) beyond this many points.</summary>
    public int MaxPoints { get; init; } = (1 << 20) + 1;

    /// <summary>
    /// Converged when successive estimates satisfy |Δ log Z| ≤ tolerance; |Δ log Z| is the relative change
    /// of Z, so 5e-8 means Z agrees to seven significant figures (paper §4.2).
    /// </summary>
    public double Tolerance { get; init; } = 5e-8;

    /// <summary>Energy-network rows per call.</summary>
    public long MaxRows { get; init; } = 1 << 16;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (InitialPoints < 3) throw new ArgumentException($"InitialPoints must be at least 3 (got {InitialPoints}).", nameof(InitialPoints));
        if (MaxPoints < InitialPoints) throw new ArgumentException($"MaxPoints ({MaxPoints}) must be at least InitialPoints ({InitialPoints}).", nameof(MaxPoints));
        if (!(Tolerance > 0)) throw new ArgumentException($"Tolerance must be positive (got {Tolerance}).", nameof(Tolerance));
        if (MaxRows < 1) throw new ArgumentException($"MaxRows must be positive (got {MaxRows}).", nameof(MaxRows));
    }
}
