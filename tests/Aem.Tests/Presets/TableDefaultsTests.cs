using Aem.Presets;

namespace Aem.Tests.Presets;

public class TableDefaultsTests
{
    public static TheoryData<long, int> Tables()
    {
        var data = new TheoryData<long, int>();
        foreach (long rows in new long[] { 11, 50, 145, 600, 5_000, 60_000, 1_000_000, 10_000_000 })
        {
            foreach (int columns in new[] { 1, 2, 30, 100 }) data.Add(rows, columns);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void TheRule_GivesAValidBoundedConfiguration(long rows, int columns)
    {
        // The training split of a user's file: 81 % of its rows.
        long trainRows = Math.Max(2, (long)(rows * 0.81));
        var settings = TableDefaults.For(trainRows, columns);
        settings.Model.Validate();
        settings.Training.Validate();
        settings.Objective.Validate();
        Assert.Equal(columns, settings.Model.Features);
        Assert.InRange(settings.Training.BatchSize, 1, Math.Min(512, trainRows));
        Assert.InRange(settings.Model.HiddenFeatures, 64, 512);
        Assert.InRange(settings.Model.EnergyHiddenFeatures, 32, 128);
        Assert.InRange(settings.Model.Components, 5, 20);
        Assert.InRange(settings.Training.Steps, 2_000, 20_000);
        Assert.InRange(settings.Training.WarmupSteps, 1, settings.Training.Steps / 10);
        Assert.NotNull(settings.Training.Patience);
        // Wider tables get at least 4 hidden units per column (up to 512): every conditional needs capacity.
        Assert.True(settings.Model.HiddenFeatures >= Math.Min(512, 4 * columns));
        // A step and a validation cost at most what POWER's do (energy-net rows): a 2-minute budget on a wide
        // table must leave room for steps, not one validation.
        long stepRows = (long)settings.Training.BatchSize * columns * (settings.Objective.TrainingSamples + 1);
        Assert.True(stepRows <= Math.Max(512L * 8, 8L * columns) * 21, $"a step scores {stepRows:N0} energy rows");
        long validationRows = (long)settings.Training.ValidationPoints * columns * (settings.Objective.ValidationSamples + 1);
        Assert.True(validationRows <= Math.Max(4096L * 6 * 101, 64L * columns * 21), $"a validation scores {validationRows:N0} energy rows");
        Assert.InRange(settings.Training.ValidationPoints, 64, 4096);
    }

    [Fact]
    public void WideTables_GetSmallerBatches_AndCheaperValidation_NarrowOnesThePapersValues()
    {
        var narrow = TableDefaults.For(500_000, 6);
        Assert.Equal(512, narrow.Training.BatchSize);
        Assert.Equal(4096, narrow.Training.ValidationPoints);
        Assert.Equal(100, narrow.Objective.ValidationSamples);
        var wide = TableDefaults.For(180_000, 63);
        Assert.Equal(64, wide.Training.BatchSize);
        Assert.Equal(20, wide.Objective.ValidationSamples);
        Assert.InRange(wide.Training.ValidationPoints, 1024, 2048);
    }

    [Fact]
    public void SmallTables_GetSmallerModelsAndMoreRegularisationThanLargeOnes()
    {
        var small = TableDefaults.For(120, 4);
        var large = TableDefaults.For(800_000, 4);
        Assert.True(small.Model.HiddenFeatures < large.Model.HiddenFeatures);
        Assert.True(small.Training.BatchSize < large.Training.BatchSize);
        Assert.True(small.Model.Dropout > large.Model.Dropout);
        Assert.True(small.Model.Components < large.Model.Components);
    }

    [Fact]
    public void Patience_IsAQuarterOfTheValidations_AtLeastThree()
    {
        Assert.Equal(5, TableDefaults.PatienceFor(2_000, 100));
        Assert.Equal(3, TableDefaults.PatienceFor(100, 50));
        Assert.Equal(10, TableDefaults.PatienceFor(40_000, 1_000));
    }
}
