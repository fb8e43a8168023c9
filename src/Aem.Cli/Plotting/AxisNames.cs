namespace Aem.Cli.Plotting;

/// <summary>What the two axes of a 2-D figure are called: the data's column names when it has them.</summary>
/// <param name="First">The first column (x1).</param>
/// <param name="Second">The second column (x2).</param>
internal sealed record AxisNames(string First, string Second)
{
    /// <summary>x1 and x2.</summary>
    public static AxisNames Default { get; } = new("x1", "x2");

    /// <summary>The names of a 2-D table's columns, else x1 and x2.</summary>
    public static AxisNames Of(IReadOnlyList<string>? columns) =>
        columns is { Count: 2 } c && c.All(n => n.Length > 0) ? new(c[0], c[1]) : Default;
}
