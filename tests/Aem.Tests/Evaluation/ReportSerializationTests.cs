using System.Text.Json;
using Aem.Evaluation;

namespace Aem.Tests.Evaluation;

public class ReportSerializationTests
{
    [Fact]
    public void Reports_RoundTripThroughJson()
    {
        var selection = new KdeSelection(0.1, 0.05, new MeanWithError(-1, 0.1, 10), [0.1, 1.0], [0.05, 0.5], [[-1.0, -2.0], [-3.0, -4.0]], 10, 100);
        var report = new TestEvaluationReport(new MeanWithError(0.7, 0.005, 100), new MeanWithError(0.6, 0.005, 100), selection.Score, selection, 20_000, 100, 1000);
        var back = JsonSerializer.Deserialize<TestEvaluationReport>(JsonSerializer.Serialize(report))!;
        Assert.Equal(report.Aem, back.Aem);
        Assert.Equal(-3.0, back.KdeSelection!.MeanScores[1][0]);

        var calibration = new CalibrationResult([1, 10], [new CalibrationConditional(3, 1, -4, 4, 0.5, true, 2049, [0.4, 0.49])], [new RelativeErrorSummary(1, 1, -0.1, -0.1, -0.1, 0.1)]);
        var calibrationBack = JsonSerializer.Deserialize<CalibrationResult>(JsonSerializer.Serialize(calibration))!;
        Assert.Equal(0.49, calibrationBack.Conditionals[0].LogZHat[1]);
        Assert.Equal(calibration.Summaries[0], calibrationBack.Summaries[0]);
    }
}
