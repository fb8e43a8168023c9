using Aem.Data;

namespace Aem.Tests.Data;

/// <summary>Column statistics of float64 tables, for checking normalisation recipes.</summary>
internal static class TableAssert
{
    public static double[] Means(params NumericTable[] tables)
    {
        int d = tables[0].Columns;
        var sum = new double[d];
        long n = 0;
        foreach (var table in tables)
        {
            for (int r = 0; r < table.Rows; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    sum[c] += table[r, c];
                }
            }
            n += table.Rows;
        }
        return sum.Select(s => s / n).ToArray();
    }

    /// <summary>Standard deviation with <paramref name="ddof"/> (0 population, 1 sample).</summary>
    public static double[] Deviations(int ddof, params NumericTable[] tables)
    {
        var mean = Means(tables);
        var sum = new double[mean.Length];
        long n = 0;
        foreach (var table in tables)
        {
            for (int r = 0; r < table.Rows; r++)
            {
                for (int c = 0; c < mean.Length; c++)
                {
                    sum[c] += Math.Pow(table[r, c] - mean[c], 2);
                }
            }
            n += table.Rows;
        }
        return sum.Select(s => Math.Sqrt(s / (n - ddof))).ToArray();
    }

    public static void Standardised(int ddof, params NumericTable[] tables)
    {
        Assert.All(Means(tables), m => Assert.Equal(0, m, 1e-12));
        Assert.All(Deviations(ddof, tables), s => Assert.Equal(1, s, 1e-12));
    }

    /// <summary>Row r of <paramref name="table"/> mapped back to data units.</summary>
    public static double[] Unstandardised(NumericTable table, Standardizer standardizer, int row) =>
        Enumerable.Range(0, table.Columns).Select(c => (table[row, c] * standardizer.Scale[c]) + standardizer.Mean[c]).ToArray();
}
