namespace Aem.Tests.Data;

/// <summary>Compares doubles to a relative tolerance (absolute below 1).</summary>
internal sealed class Near(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(y));

    public int GetHashCode(double obj) => 0;
}
