using System.Globalization;
using Aem.Runs;

namespace Aem.Cli.Output;

/// <summary>
/// The <c>N</c> rows with the lowest bounded log-likelihood seen so far (the anomaly-detection short list), in
/// bounded memory. Ranked by the bounded estimate, not log p̂: the energy need not decay where the data and
/// the proposal never go, so a far outlier's log p̂ can look ordinary; the bounded estimate cannot exceed
/// log q + D·log(S + 1) there.
/// </summary>
internal sealed class LeastLikelyRows(int count)
{
    // Highest log-likelihood on top, so the least unlikely of the kept rows is the one replaced.
    private readonly PriorityQueue<Row, double> rows = new(Comparer<double>.Create((a, b) => b.CompareTo(a)));

    public void Add(ScoredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var s = block.Scores;
        for (int i = 0; i < s.Count; i++)
        {
            double logP = s.BoundedLogDensity[i];
            if (rows.Count == count && !(logP < rows.Peek().Bounded)) continue;
            var row = new Row(block.FirstRow + i + 1, logP, s.LogDensity[i], s.LogProposal[i], s.MinEffectiveSampleSize[i], block.Rows.Row(i).ToArray());
            if (rows.Count == count) rows.DequeueEnqueue(row, logP);
            else rows.Enqueue(row, logP);
        }
    }

    /// <summary>Prints the rows, least likely first, with their values.</summary>
    public void Print(TextWriter output, IReadOnlyList<string>? columnNames)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sorted = rows.UnorderedItems.Select(r => r.Element).OrderBy(r => r.Bounded).ThenBy(r => r.Number).ToList();
        output.WriteLine($"the {sorted.Count:N0} least likely rows, by the bounded log-likelihood (row number among the file's data rows, 1-based):");
        string names = columnNames is null ? "values" : string.Join(", ", columnNames);
        output.WriteLine($"  {"row",10}  {"bounded",12}  {"log p̂",12}  {"log q",12}  {"min ESS",8}  {names}");
        foreach (var r in sorted)
        {
            string values = string.Join(", ", r.Values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Number,10:N0}  {r.Bounded,12:F4}  {r.LogDensity,12:F4}  {r.LogProposal,12:F4}  {r.MinEss,8:G3}  {values}"));
        }
    }

    private sealed record Row(long Number, double Bounded, double LogDensity, double LogProposal, double MinEss, double[] Values);
}
