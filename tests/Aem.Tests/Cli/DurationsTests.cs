using Aem.Cli.Parsing;

namespace Aem.Tests.Cli;

public class DurationsTests
{
    [Theory]
    [InlineData("150s", 150)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2m30s", 150)]
    [InlineData("90", 90)]
    [InlineData("0.5h", 1800)]
    public void TryParse_ReadsHoursMinutesAndSeconds(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("5 minutes")]
    public void TryParse_RejectsWhatIsNotAPositiveDuration(string text) => Assert.False(Durations.TryParse(text, out _));
}
