using Aem.Runtime;
using Aem.Tests.Data;

namespace Aem.Tests.Runtime;

public class PluralTests
{
    [Theory]
    [InlineData(0, "0 rows")]
    [InlineData(1, "1 row")]
    [InlineData(2, "2 rows")]
    [InlineData(12345, "12,345 rows")]
    public void Of_UsesTheSingularOnlyForOne(long count, string expected) => Assert.Equal(expected, Plural.Of(count, "row"));

    [Fact]
    public void ATooSmallFile_SaysRowInTheSingular()
    {
        using var folder = new TempFolder();
        string file = folder.WriteText("one.csv", "1,2\n");
        var error = Assert.Throws<Aem.Data.DataFormatException>(() => Aem.Data.DataCatalog.Load(new Aem.Data.DataRequest { File = file }));
        Assert.Contains("1 row: too few", error.Message, StringComparison.Ordinal);
    }
}
