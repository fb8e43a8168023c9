using Aem.Data;
using Aem.Model;
using Aem.Runs;
using Aem.Tests.Checkpoints;
using Aem.Tests.Data;
using Aem.Evaluation;
using Aem.Tests.Evaluation;
using static TorchSharp.torch;

namespace Aem.Tests.Runs;

public sealed class RunScoringTests : IDisposable
{
    private readonly TempFolder folder = new();

    private (SavedRun Run, AutoregressiveEnergyMachine Model) SavedModel(Standardizer? standardizer, IReadOnlyList<string>? names = null)
    {
        using var model = EvaluationModels.Create(features: 2, seed: 31);
        string directory = folder.File("run", RunLayout.Best);
        TestCheckpoints.Save(directory, model, null, TestCheckpoints.Record(model.Options) with { Standardizer = standardizer, ColumnNames = names });
        var run = SavedRun.Open(folder.File("run"));
        return (run, run.LoadModel());
    }

    private static double[,] Rows(int n)
    {
        var random = new Random(7);
        var rows = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            rows[i, 0] = 10 + random.NextDouble();
            rows[i, 1] = -2 + (3 * random.NextDouble());
        }
        return rows;
    }

    private static double[] Scores(SavedRun run, AutoregressiveEnergyMachine model, string path, bool proposal = false)
    {
        using var reader = TableReader.Open(path);
        return RunScoring.Score(run, model, reader, samples: 40, seed: 5).SelectMany(b => proposal ? b.Scores.LogProposal : b.Scores.LogDensity).ToArray();
    }

    [Fact]
    public void Rows_KeepTheirOrder_AndAStandardisedRunScoresInTheFilesUnits()
    {
        var standardizer = new Standardizer([10.5, -0.5], [0.3, 0.9]);
        var (run, model) = SavedModel(standardizer);
        using (model)
        {
            var rows = Rows(600);
            var scores = Scores(run, model, folder.WriteTable("rows.csv", rows));
            Assert.Equal(600, scores.Length);

            // Units: the file's scores are the model-unit scores of the standardised rows plus log |det|.
            using var raw = TempFolder.Table("x", rows).ToTensor().to(float64);
            using var standardised = standardizer.Transform(raw);
            using var scorer = new PointScorer(model, 40, 5);
            var modelUnits = scorer.Score(standardised).LogDensity;
            double logDet = standardizer.LogAbsDetJacobian;
            Assert.Equal(-Math.Log(0.3) - Math.Log(0.9), logDet, 12);
            for (int i = 0; i < 600; i++) Assert.Equal(modelUnits[i] + logDet, scores[i], 10);

            // Order: log q is exact (no sampling), so the rows reversed must give exactly the scores reversed,
            // across the block boundaries (RunScoring.BlockRows) and the chunk boundaries inside them.
            var many = Rows(RunScoring.BlockRows + 300);
            int n = many.GetLength(0);
            var reversed = new double[n, 2];
            for (int i = 0; i < n; i++) (reversed[i, 0], reversed[i, 1]) = (many[n - 1 - i, 0], many[n - 1 - i, 1]);
            var forward = Scores(run, model, folder.WriteTable("many.csv", many), proposal: true);
            var backward = Scores(run, model, folder.WriteTable("reversed.csv", reversed), proposal: true);
            Assert.Equal(forward.Reverse(), backward);
        }
    }

    [Theory]
    [InlineData("1,2\n3,4,5\n", "3 values, expected 2")]
    [InlineData("1,2\n3,x\n", "'x' is not a number")]
    [InlineData("1,2\n3,inf\n", "not a finite number")]
    [InlineData("1,2,3\n4,5,6\n", "3 columns, but the run")]
    public void BadRows_AreRefusedNamingTheFileRowAndColumn(string text, string problem)
    {
        var (run, model) = SavedModel(null);
        using (model)
        {
            string path = folder.WriteText("bad.csv", text);
            var error = Assert.Throws<DataFormatException>(() => Scores(run, model, path));
            Assert.Contains("bad.csv", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Column);
        }
    }

    [Fact]
    public void AHeaderThatNamesTheColumnsDifferently_IsRefused()
    {
        var (run, model) = SavedModel(null, ["height", "weight"]);
        using (model)
        {
            string path = folder.WriteTable("swapped.csv", Rows(10), header: "weight,height");
            var error = Assert.Throws<DataFormatException>(() => Scores(run, model, path));
            Assert.Contains("'weight'", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, error.Column);
        }
    }

    public void Dispose() => folder.Dispose();
}
