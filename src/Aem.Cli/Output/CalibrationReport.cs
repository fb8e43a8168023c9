using System.Globalization;
using System.Text;
using System.Text.Json;
using Aem.Evaluation;
using Aem.Model;

namespace Aem.Cli.Output;

/// <summary>What <c>aem calibrate</c> writes: the calibration of a checkpoint's normalising constants (paper §4.2, figure 5).</summary>
internal sealed record CalibrationReport
{
    public const string JsonFile = "calibration.json";
    public const string MarkdownFile = "calibration.md";
    public const string PngFile = "figure5.png";
    public const string ErrorPngFile = "normalizers.png";

    public required string Checkpoint { get; init; }

    public int Step { get; init; }

    public required string Data { get; init; }

    public required CalibrationOptions Options { get; init; }

    public required CalibrationResult Result { get; init; }

    /// <summary>For a 2-D model with <c>--grid-mass</c>: the mass of its grid density, normalised by quadrature and by IS.</summary>
    public GridMassReport? GridMass { get; init; }

    public double Seconds { get; init; }

    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(this, JsonFiles.Options));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown());
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Normalising-constant calibration: {Data}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Checkpoint `{Checkpoint}` (step {Step:N0}); {Result.Conditionals.Count:N0} conditionals p(x_d | x_<d), d ≥ 2, contexts from validation points; seed {Options.Seed}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Quadrature: log-space trapezoid from {Options.Trapezoid.InitialPoints:N0} points, doubled until |Δ log Z| ≤ {Options.Trapezoid.Tolerance:G3} (at most {Options.Trapezoid.MaxPoints:N0} points); {Result.NotConverged:N0} did not converge and are left out.");
        md.AppendLine("Relative error r = Ẑ/Z − 1 of the importance-sampling estimate (negative: Z underestimated); S energy-network evaluations per conditional.");
        md.AppendLine();
        md.AppendLine("| normaliser | S | conditionals | 5th pct r | median r | 95th pct r | 5th pct abs | median abs | 95th pct abs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Result.Summaries)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Name(s)} | {s.Samples:N0} | {s.Count:N0} | {s.P5:G3} | {s.P50:G3} | {s.P95:G3} | {s.P5Absolute:G3} | {s.MedianAbsolute:G3} | {s.P95Absolute:G3} |");
        }
        var matching = Result.SamplesToMatchIid();
        if (matching.Count > 1)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"To match iid at S = {matching[0].ReferenceSamples:N0} (95th percentile of |r| ≤ {matching[0].ReferenceP95Absolute:G3}; the smallest measured S that stays there):");
            md.AppendLine();
            md.AppendLine("| normaliser | S needed | fewer energy evaluations |");
            md.AppendLine("|---|---|---|");
            foreach (var m in matching) md.AppendLine(CultureInfo.InvariantCulture, $"| {NormalizerName(m.Estimator)} | {Needed(m)} | {Fewer(m)} |");
        }
        if (GridMass is { } g)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Density on a {g.PointsPerAxis}×{g.PointsPerAxis} grid over [{g.Low:G4}, {g.High:G4}]²: total mass {g.MassQuadrature:0.00000} with every conditional normalised by quadrature, {g.MassImportance:0.00000} with importance sampling (S = {g.Samples:N0}).");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Took {Seconds:0.0} s.");
        return md.ToString();
    }

    private static string Name(RelativeErrorSummary s) => NormalizerName(s.Estimator);

    private static string NormalizerName(NormalizerEstimator estimator) => estimator.ToString().ToLowerInvariant();

    private static string Needed(SamplesToMatch m) => m.Samples is { } s ? s.ToString("N0", CultureInfo.InvariantCulture) : "not reached";

    private static string Fewer(SamplesToMatch m) => m.FewerEvaluations is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f:G3}×") : "–";

    /// <summary>The percentiles table, the grid mass and what was left out, as the terminal shows them.</summary>
    public void Print(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine("normaliser         S   5th pct    median  95th pct  95th pct |r|   (r = Ẑ/Z − 1)");
        foreach (var s in Result.Summaries) o.WriteLine($"{Name(s),-10} {s.Samples,9:N0} {s.P5,9:G3} {s.P50,9:G3} {s.P95,9:G3} {s.P95Absolute,13:G3}");
        var matching = Result.SamplesToMatchIid();
        if (matching.Count > 1)
        {
            o.WriteLine($"to match iid at S = {matching[0].ReferenceSamples:N0} (95th pct |r| ≤ {matching[0].ReferenceP95Absolute:G3}): " +
                string.Join(", ", matching.Select(m => $"{NormalizerName(m.Estimator)} S = {Needed(m)} ({Fewer(m)} fewer evaluations)")));
        }
        if (GridMass is { } mass)
        {
            o.WriteLine($"grid [{mass.Low:G4}, {mass.High:G4}]²: mass {mass.MassQuadrature:0.00000} (quadrature), {mass.MassImportance:0.00000} (importance sampling, S = {mass.Samples:N0})");
        }
        if (Result.NotConverged > 0) o.WriteLine($"{Result.NotConverged:N0} quadratures did not converge and are left out (raise --max-grid).");
    }
}
