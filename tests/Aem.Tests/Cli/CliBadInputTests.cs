using SkiaSharp;

namespace Aem.Tests.Cli;

/// <summary>Bad input ends with exit code 2, one line naming the file and the problem, and nothing left in --out.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliBadInputTests : IDisposable
{
    private readonly CliHarness cli = new();

    [Theory]
    [InlineData("missing", "file not found")]
    [InlineData("1,2\n3,4\n5,abc\n", "row 3, column 2: 'abc' is not a number")]
    [InlineData("1,2\n3,NaN\n", "row 2, column 2: 'NaN' is not a finite number")]
    [InlineData("1,2\nInf,4\n", "row 2, column 1: 'Inf' is not a finite number")]
    [InlineData("1,2\n3,4\n5\n", "row 3, column 2: 1 values, expected 2")]
    [InlineData("", "the file is empty")]
    public void Train_WithBadDataFile_FailsWithOneLineAndLeavesNoOutput(string content, string problem)
    {
        string file = cli.PathOf("data.csv");
        if (content != "missing") File.WriteAllText(file, content);
        string output = cli.PathOf("out");
        var outcome = cli.Run(["train", "--data", file, "--out", output, "--steps", "5", .. CliHarness.TinyModel]);
        AssertBadInput(outcome, file, problem);
        Assert.False(Directory.Exists(output), "--out was created");
    }

    [Fact]
    public void Train_OnABlankImage_FailsNamingTheImage()
    {
        string image = cli.PathOf("blank.png");
        using (var bitmap = new SKBitmap(16, 16))
        {
            bitmap.Erase(SKColors.Black);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(image, data.ToArray());
        }
        string output = cli.PathOf("out");
        var outcome = cli.Run(["train", "--image", image, "--out", output, "--steps", "5", .. CliHarness.Tiny]);
        AssertBadInput(outcome, "blank.png", "blank");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Evaluate_DataOfTheWrongDimension_FailsNamingTheFile()
    {
        Assert.Equal(0, cli.TrainTiny("run", 3).Code);
        string file = cli.PathOf("three.csv");
        File.WriteAllLines(file, Enumerable.Range(0, 50).Select(i => $"{i},{i % 7},{i % 3}"));
        string output = cli.PathOf("scores");
        var outcome = cli.Run("evaluate", "--checkpoint", cli.PathOf("run"), "--data", file, "--out", output, "--samples", "5", "--threads", "1");
        AssertBadInput(outcome, file, "3 columns, but the checkpoint");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Commands_OnAFolderWithoutACheckpoint_FailWithOneLine()
    {
        string empty = cli.PathOf("empty");
        Directory.CreateDirectory(empty);
        AssertBadInput(cli.Run("evaluate", "--checkpoint", empty, "--threads", "1"), empty, "no checkpoint here");
        AssertBadInput(cli.Run("info", "--checkpoint", cli.PathOf("nowhere")), "nowhere", "no such folder");
    }

    [Fact]
    public void DeviceCuda_OnACpuBuild_FailsWithTheCudaMessage()
    {
        string output = cli.PathOf("out");
        var outcome = cli.Run("train", "--dataset", "checkerboard", "--out", output, "--device", "cuda", "--steps", "5");
        AssertBadInput(outcome, "cuda", "CUDA");
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("train --dataset checkerboard --preset nosuch", "Unknown preset 'nosuch'")]
    [InlineData("train --dataset nosuch --steps 5", "Unknown dataset 'nosuch'")]
    [InlineData("train --dataset checkerboard --time soon", "'soon' is not a duration")]
    [InlineData("train --steps 5", "name the data")]
    [InlineData("train --dataset checkerboard --dropout 1.5 --steps 5", "--dropout must be in [0, 1)")]
    [InlineData("train --dataset checkerboard --steps 0", "--steps must be at least 1")]
    [InlineData("evaluate --checkpoint x --kde-samples 5", "--kde-samples goes with --kde")]
    [InlineData("train --data x.csv --train-points 5 --steps 5", "--train-points sets how many points")]
    [InlineData("sample --checkpoint x -n 5 --output s.txt", "use .csv or .npy")]
    [InlineData("frobnicate", "frobnicate")]
    public void InvalidOptions_FailWithOneLine(string arguments, string problem)
    {
        var outcome = cli.Run([.. arguments.Split(' '), "--threads", "1"]);
        AssertBadInput(outcome, null, problem);
    }

    [Fact]
    public void Train_IntoAnotherRun_IsRefusedUnlessForced()
    {
        Assert.Equal(0, cli.TrainTiny("run", 3).Code);
        var again = cli.TrainTiny("run", 3);
        AssertBadInput(again, "run", "already holds a run");
        Assert.Equal(0, cli.TrainTiny("run", 4, "--force").Code);
    }

    private static void AssertBadInput(CliOutcome outcome, string? names, string problem)
    {
        Assert.True(outcome.Code == 2, outcome.ToString());
        var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, outcome.ToString());
        Assert.StartsWith("aem: error: ", lines[0], StringComparison.Ordinal);
        if (names is not null) Assert.Contains(names, lines[0], StringComparison.Ordinal);
        Assert.Contains(problem, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
