using System.Globalization;

namespace Aem.Cli.Output;

/// <summary>"1 row", "2 rows", "1,000 rows" in what the tool prints (the library's counterpart is internal to it).</summary>
internal static class Plural
{
    public static string Of(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
