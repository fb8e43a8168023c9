using System.Globalization;
using Aem.Data;

namespace Aem.Tests.Data;

public class DecimalParserTests
{
    [Fact]
    public void FastPath_AgreesBitForBitWithDoubleParse()
    {
        var random = new Random(11);
        int fast = 0;
        for (int n = 0; n < 200_000; n++)
        {
            string text = RandomDecimal(random);
            double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (DecimalParser.TryParse(text, out double value))
            {
                fast++;
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"'{text}': {value:R} vs {expected:R}");
            }
        }
        // The fast path must actually carry typical data files.
        Assert.True(fast > 150_000, $"only {fast} of 200000 took the fast path");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("nan")]
    [InlineData("12345678901234567890")]
    [InlineData("1e400")]
    public void FastPath_DeclinesWhatItCannotParseExactly(string text) =>
        Assert.False(DecimalParser.TryParse(text, out _));

    private static string RandomDecimal(Random random)
    {
        string sign = random.Next(3) switch { 0 => "-", 1 => "+", _ => "" };
        string whole = Digits(random, random.Next(0, 12));
        string fraction = random.Next(4) == 0 ? "" : "." + Digits(random, random.Next(0, 10));
        if (whole.Length == 0 && fraction.Length <= 1)
        {
            whole = "0";
        }
        string exponent = random.Next(5) == 0 ? $"{(random.Next(2) == 0 ? 'e' : 'E')}{(random.Next(2) == 0 ? "-" : "")}{random.Next(0, 30)}" : "";
        return sign + whole + fraction + exponent;
    }

    private static string Digits(Random random, int count) =>
        new(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))).ToArray());
}
