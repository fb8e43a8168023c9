// QuickStart: fit an AEM to a CSV file, list the ten least likely rows, write 1,000 samples.
// Usage: dotnet run -- data.csv [seconds]
using System.Globalization;
using Aem;
using Aem.Data;

string path = args.Length > 0 ? args[0] : "data.csv";
var time = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 60);

var table = CsvFile.Read(path);                          // header optional; NpyFile.Read for .npy
double[,] rows = table.ToArray();                       // [N, D] in your own units

using var model = AemModel.Fit(rows, new AemFitOptions { Time = time, ColumnNames = table.ColumnNames });
Console.WriteLine($"fitted {model.Features} columns of {table.Rows} rows in {model.Training!.State.Step} steps");

RowScores scores = model.Score(rows, samples: 1000);    // log-likelihood of every row, your units
Console.WriteLine("the ten least likely rows:");
foreach (int i in Enumerable.Range(0, table.Rows).OrderBy(i => scores.BoundedLogLikelihood[i]).Take(10))
{
    string values = string.Join(", ", Enumerable.Range(0, table.Columns).Select(c => rows[i, c].ToString("G6", CultureInfo.InvariantCulture)));
    Console.WriteLine($"  row {i + 1,6}: log-likelihood {scores.BoundedLogLikelihood[i],10:F3}   ({values})");
}

double[,] samples = model.Sample(1000, seed: 1);      // your units
using (var csv = new StreamWriter("samples.csv"))
{
    csv.WriteLine(string.Join(",", table.ColumnNames ?? Enumerable.Range(1, table.Columns).Select(c => $"x{c}").ToArray()));
    for (int r = 0; r < samples.GetLength(0); r++)
    {
        csv.WriteLine(string.Join(",", Enumerable.Range(0, table.Columns).Select(c => samples[r, c].ToString("R", CultureInfo.InvariantCulture))));
    }
}
Console.WriteLine("wrote 1,000 samples to samples.csv");

model.Save("quickstart-model");                          // AemModel.Load("quickstart-model") reads it back
